using FetchAgent.Engine.Navigation;

namespace FetchAgent.Engine.Page;

/// <summary>
/// The page load's deadline on its own clock. .NET's timers run on a coarse tick and may fire a few ms early; a
/// deadline that cut objects off before <c>pageTimeoutMs</c> had passed on the page clock would be a wrong number, so
/// an early firing re-arms for what is left.
/// </summary>
internal sealed class PageDeadline : IDisposable
{
    private readonly PageClock _clock;
    private readonly long _dueTimestamp;
    private readonly CancellationTokenSource _passed = new();
    private readonly ITimer _timer;

    public PageDeadline(PageClock clock, int timeoutMs)
    {
        _clock = clock;
        _dueTimestamp = clock.StartTimestamp + (long)(timeoutMs / 1000.0 * clock.TimeProvider.TimestampFrequency);
        _timer = clock.TimeProvider.CreateTimer(static state => ((PageDeadline)state!).Check(), this, TimeSpan.FromMilliseconds(timeoutMs), Timeout.InfiniteTimeSpan);
    }

    /// <summary>Cancelled once the deadline has passed on the page clock.</summary>
    public CancellationToken Token => _passed.Token;

    public bool HasPassed => _passed.IsCancellationRequested;

    /// <summary>When it passed, as a page-clock timestamp (0 before).</summary>
    public long PassedAt { get; private set; }

    private void Check()
    {
        var now = _clock.Now();
        if (now < _dueTimestamp)
        {
            _timer.Change(TimeSpan.FromMilliseconds(Math.Max(1, _clock.Between(now, _dueTimestamp))), Timeout.InfiniteTimeSpan);
            return;
        }

        PassedAt = now;
        try
        {
            _passed.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The load ended as the deadline came.
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _passed.Dispose();
    }
}
