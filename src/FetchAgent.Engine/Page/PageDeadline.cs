using FetchAgent.Engine.Model;
using FetchAgent.Engine.Connections;


namespace FetchAgent.Engine.Page;

/// <summary>Why a page load was ended before its work was done.</summary>
internal enum PageEndReason
{
    None,

    /// <summary><see cref="LoadOptions.PageTimeoutMs"/> passed.</summary>
    Deadline,

    /// <summary>The caller asked for the load to end (the daemon's <c>DELETE</c>): stored as <c>cancelled</c>.</summary>
    Cancelled,
}

/// <summary>
/// The page load's end before its work is done: its deadline on its own clock, or a request to end now. Either way
/// objects in flight end with <see cref="ErrorText"/>, nothing more is requested, and what was measured stays. The
/// first reason wins; once the load's work is done (<see cref="Settle"/>) nothing ends it any more.
/// .NET's timers run on a coarse tick and may fire a few ms early; a deadline that cut objects off before
/// <c>pageTimeoutMs</c> had passed on the page clock would be a wrong number, so an early firing re-arms for what is left.
/// </summary>
internal sealed class PageDeadline : IPageEnd, IDisposable
{
    private const int Open = 0, Ended = 1, Settled = 2;

    private readonly PageClock _clock;
    private readonly long _dueTimestamp;
    private readonly CancellationTokenSource _passed = new();
    private readonly ITimer _timer;
    private int _state;

    public PageDeadline(PageClock clock, int timeoutMs)
    {
        _clock = clock;
        _dueTimestamp = clock.StartTimestamp + (long)(timeoutMs / 1000.0 * clock.TimeProvider.TimestampFrequency);
        _timer = clock.TimeProvider.CreateTimer(static state => ((PageDeadline)state!).Check(), this, TimeSpan.FromMilliseconds(timeoutMs), Timeout.InfiniteTimeSpan);
    }

    /// <summary>Cancelled once the page has ended (its deadline passed, or it was asked to end).</summary>
    public CancellationToken Token => _passed.Token;

    public bool HasPassed => _passed.IsCancellationRequested;

    /// <summary>When it ended, as a page-clock timestamp (0 before).</summary>
    public long PassedAt { get; private set; }

    public PageEndReason Reason { get; private set; }

    /// <summary>The error of an object the end caught in flight.</summary>
    public string ErrorText => Reason == PageEndReason.Cancelled ? CancelledText : DeadlineText;

    public const string CancelledText = "cancelled";

    public const string DeadlineText = "timeout: page deadline";

    /// <summary>The kind beside <see cref="ErrorText"/>.</summary>
    public ErrorKind ErrorKind => Reason == PageEndReason.Cancelled ? ErrorKind.Cancelled : ErrorKind.Timeout;

    /// <summary>Ends the page now, as cancelled (unless it already ended or its work is done).</summary>
    public void Cancel() => End(PageEndReason.Cancelled, _clock.Now());

    /// <summary>The load's work is done: a deadline or a cancel that comes now changes nothing.</summary>
    public void Settle() => Interlocked.CompareExchange(ref _state, Settled, Open);

    private void Check()
    {
        var now = _clock.Now();
        if (now < _dueTimestamp)
        {
            try
            {
                _timer.Change(TimeSpan.FromMilliseconds(Math.Max(1, _clock.Between(now, _dueTimestamp))), Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
            }

            return;
        }

        End(PageEndReason.Deadline, now);
    }

    private void End(PageEndReason reason, long now)
    {
        if (Interlocked.CompareExchange(ref _state, Ended, Open) != Open)
            return;
        PassedAt = now;
        Reason = reason;
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
