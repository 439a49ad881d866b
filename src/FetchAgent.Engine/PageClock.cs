namespace FetchAgent.Engine;

/// <summary>
/// The page load's monotonic clock: every time in the document is milliseconds from
/// <see cref="StartTimestamp"/>, read from <see cref="TimeProvider.GetTimestamp"/> around the real event.
/// </summary>
public sealed class PageClock
{
    public PageClock(TimeProvider timeProvider)
    {
        TimeProvider = timeProvider;
        StartTimestamp = timeProvider.GetTimestamp();
        StartedAt = timeProvider.GetUtcNow();
    }

    public TimeProvider TimeProvider { get; }
    public long StartTimestamp { get; }

    /// <summary>Wall-clock start, for <c>startedAt</c> only; never used for durations.</summary>
    public DateTimeOffset StartedAt { get; }

    public long Now() => TimeProvider.GetTimestamp();

    /// <summary>Milliseconds from the page load's start to <paramref name="timestamp"/>.</summary>
    public double Ms(long timestamp) => Between(StartTimestamp, timestamp);

    /// <summary>
    /// Milliseconds between two timestamps, straight from the timestamp frequency: no rounding to
    /// TimeSpan's 100 ns ticks, so phases that share boundaries add up to the whole.
    /// </summary>
    public double Between(long from, long to) => (to - from) * 1000.0 / TimeProvider.TimestampFrequency;
}
