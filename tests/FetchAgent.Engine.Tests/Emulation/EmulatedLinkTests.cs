using FetchAgent.Engine.Emulation;
using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Tests.Emulation;

/// <summary>
/// The shared downlink's turns on a clock the test moves (no real waiting): round robin among the connections with a
/// piece ready, decided one round trip ahead, no credit for time the link sat idle, and a cancelled piece leaves no
/// gap. The test plays each connection's pump: it asks for a connection's next piece once its last one has crossed.
/// </summary>
public sealed class EmulatedLinkTests
{
    // 11,680 kbit/s is 1460 bytes per ms: one segment takes exactly 1 ms of link.
    private const int Kbps = 11_680;
    private const int Segment = EmulatedNetwork.SegmentBytes;

    private static (EmulatedLink Link, SteppedClock Clock) Link(int rttMs = 30)
    {
        var clock = new SteppedClock();
        return (new EmulatedLink(new EmulatedNetwork(rttMs, Kbps, 0, null), clock), clock);
    }

    [Fact]
    public void Connections_sending_at_once_take_turns_piece_by_piece_the_one_whose_turn_is_longest_ago_first()
    {
        var (link, clock) = Link();
        object a = new(), b = new();

        // A's first piece is ready at 30 ms (arrived at 0, one RTT): the link is free, so it crosses 30..31 ms.
        var a1 = link.DownAsync(a, Segment, clock.At(30), default);
        Assert.Equal(clock.At(31), Crossed(a1));
        // A asks for its next piece before B asks for its first; B never had a turn, so B goes first.
        var a2 = link.DownAsync(a, Segment, clock.At(30), default);
        var b1 = link.DownAsync(b, Segment, clock.At(30), default);
        Assert.False(a2.IsCompleted);
        Assert.False(b1.IsCompleted);

        clock.AdvanceTo(1); // one RTT before the link is free at 31 ms
        Assert.Equal(clock.At(32), Crossed(b1));
        Assert.False(a2.IsCompleted);
        var b2 = link.DownAsync(b, Segment, clock.At(30), default);

        clock.AdvanceTo(2);
        Assert.Equal(clock.At(33), Crossed(a2));
        var a3 = link.DownAsync(a, Segment, clock.At(30), default);
        clock.AdvanceTo(3);
        Assert.Equal(clock.At(34), Crossed(b2));
        clock.AdvanceTo(4);
        Assert.Equal(clock.At(35), Crossed(a3));
    }

    [Fact]
    public void A_turn_is_given_one_round_trip_before_the_link_is_free_not_earlier()
    {
        var (link, clock) = Link(rttMs: 30);
        object a = new(), b = new();

        Assert.Equal(clock.At(31), Crossed(link.DownAsync(a, Segment, clock.At(30), default)));
        var a2 = link.DownAsync(a, Segment, clock.At(30), default);
        clock.AdvanceTo(0.999);
        Assert.False(a2.IsCompleted); // the link is free at 31 ms: its turn is decided at 1 ms
        // B's piece arrived just now (ready at 30.999 ms): it is in line for the turn at 31 ms and, never having had one,
        // takes it.
        var b1 = link.DownAsync(b, Segment, clock.At(30.999), default);
        clock.AdvanceTo(1);
        Assert.Equal(clock.At(32), Crossed(b1));
        Assert.False(a2.IsCompleted);
        clock.AdvanceTo(2);
        Assert.Equal(clock.At(33), Crossed(a2));
    }

    [Fact]
    public void A_small_response_is_not_held_behind_the_whole_of_a_big_one()
    {
        var (link, clock) = Link();
        object big = new(), small = new();

        // The big response's first four pieces have crossed (30..34 ms) when the small one's single piece arrives.
        var crossed = Crossed(link.DownAsync(big, Segment, clock.At(30), default));
        for (var i = 1; i <= 3; i++)
        {
            var next = link.DownAsync(big, Segment, clock.At(30), default);
            clock.AdvanceTo(i);
            crossed = Crossed(next);
        }

        Assert.Equal(clock.At(34), crossed);
        var bigNext = link.DownAsync(big, Segment, clock.At(30), default);
        var smallOne = link.DownAsync(small, Segment, clock.At(33), default);
        clock.AdvanceTo(4);
        Assert.Equal(clock.At(35), Crossed(smallOne)); // the next turn, not after the big response's end
        clock.AdvanceTo(5);
        Assert.Equal(clock.At(36), Crossed(bigNext));
    }

    [Fact]
    public void Time_the_link_sat_idle_is_no_credit_for_later_bytes()
    {
        var (link, clock) = Link();
        object a = new();

        Assert.Equal(clock.At(31), Crossed(link.DownAsync(a, Segment, clock.At(30), default)));
        clock.AdvanceTo(50);
        // Ready at 80 ms: it crosses 80..82 ms, not in the 49 ms the link sat idle before (31..80 ms).
        Assert.Equal(clock.At(82), Crossed(link.DownAsync(a, 2 * Segment, clock.At(80), default)));
    }

    [Fact]
    public async Task A_cancelled_piece_leaves_the_line_and_no_gap_on_the_link()
    {
        var (link, clock) = Link();
        object a = new(), b = new();
        using var stop = new CancellationTokenSource();

        Assert.Equal(clock.At(31), Crossed(link.DownAsync(a, Segment, clock.At(30), default)));
        var b1 = link.DownAsync(b, Segment, clock.At(30), stop.Token);
        var a2 = link.DownAsync(a, Segment, clock.At(30), default);
        await stop.CancelAsync(); // B's connection closed while it waited for its turn
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await b1);

        clock.AdvanceTo(1);
        Assert.Equal(clock.At(32), Crossed(a2));
    }

    [Fact]
    public void Without_a_round_trip_turns_are_still_given_the_minimum_lead_ahead()
    {
        var (link, clock) = Link(rttMs: 0);
        object a = new();

        // Ready at once, one after another: the turns up to 20 ms ahead are given at once (0..21 ms), the next waits.
        for (var i = 1; i <= EmulatedLink.MinimumLeadMs + 1; i++)
            Assert.Equal(clock.At(i), Crossed(link.DownAsync(a, Segment, clock.At(0), default)));
        var late = link.DownAsync(a, Segment, clock.At(0), default);
        Assert.False(late.IsCompleted);
        clock.AdvanceTo(0.999);
        Assert.False(late.IsCompleted);
        clock.AdvanceTo(1);
        Assert.Equal(clock.At(22), Crossed(late));
    }

    [Fact]
    public void Without_a_bandwidth_limit_a_piece_crosses_when_it_is_ready()
    {
        var clock = new SteppedClock();
        var link = new EmulatedLink(new EmulatedNetwork(30, 0, 0, null), clock);

        Assert.Equal(clock.At(30), Crossed(link.DownAsync(new object(), 1_000_000, clock.At(30), default)));
        Assert.Equal(int.MaxValue, link.PieceBytes);
    }

    private static long Crossed(ValueTask<long> piece)
    {
        Assert.True(piece.IsCompletedSuccessfully, "the piece has not had its turn");
        return piece.Result;
    }

    /// <summary>A clock in microseconds that moves only when the test says, firing the timers that fall due.</summary>
    private sealed class SteppedClock : TimeProvider
    {
        private readonly List<SteppedTimer> _timers = [];
        private long _now;

        public override long TimestampFrequency => 1_000_000;

        public override long GetTimestamp() => _now;

        public long At(double ms) => (long)Math.Round(ms * 1000);

        public void AdvanceTo(double ms)
        {
            _now = At(ms);
            foreach (var timer in _timers.ToList())
                timer.FireIfDue(_now);
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = new SteppedTimer(this, callback, state);
            timer.Change(dueTime, period);
            _timers.Add(timer);
            return timer;
        }

        private sealed class SteppedTimer(SteppedClock clock, TimerCallback callback, object? state) : ITimer
        {
            private long? _due;

            public bool Change(TimeSpan dueTime, TimeSpan period)
            {
                // Rounded up to the clock's microsecond, as a real timer never fires early.
                _due = dueTime == Timeout.InfiniteTimeSpan ? null : clock._now + (long)Math.Ceiling(dueTime.TotalMicroseconds);
                return true;
            }

            public void FireIfDue(long now)
            {
                if (_due is { } due && due <= now)
                {
                    _due = null;
                    callback(state);
                }
            }

            public void Dispose() => _due = null;

            public ValueTask DisposeAsync()
            {
                Dispose();
                return ValueTask.CompletedTask;
            }
        }
    }
}
