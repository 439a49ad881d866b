namespace FetchAgent.Engine.Tests.Cache;

/// <summary>A clock the test moves by hand: the cache's "now" (RFC 9111 §4.2.3) without sleeping.</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public static readonly DateTimeOffset Epoch = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    public ManualTime() : this(Epoch) { }

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
