using FetchAgent.Engine.Connections;
using FetchAgent.Engine.Model;


namespace FetchAgent.Engine.Tests.Connections;

/// <summary>PhaseTimings on readings the test chooses, on a clock that counts milliseconds.</summary>
public sealed class PhaseTimingsTests
{
    private sealed class MillisecondClock : TimeProvider
    {
        public override long TimestampFrequency => 1000;
        public override long GetTimestamp() => 1_000;
    }

    [Fact]
    public void A_first_byte_read_before_the_write_was_stamped_is_clamped_to_the_send_end()
    {
        // A pipelined response already buffered when this request's write completed: its first byte is stamped at
        // 1005, the write at 1010. Wait cannot be negative, and receive must not start before the send ended, or the
        // phases would add up to more than the object's time.
        var clock = new PageClock(new MillisecondClock());
        var stamps = new TransactionTimestamps { Issued = 1_000, Acquired = 1_000, SendEnd = 1_010, FirstByte = 1_005, LastByte = 1_020, End = 1_020 };

        var timings = PhaseTimings.From(stamps, clock);

        Assert.Equal(new ObjectTimings(0, -1, -1, -1, 10, 0, 10), timings);
        Assert.Equal(20, timings.Total);
    }

    [Fact]
    public void A_first_byte_after_the_send_is_not_moved()
    {
        var clock = new PageClock(new MillisecondClock());
        var stamps = new TransactionTimestamps { Issued = 1_000, Acquired = 1_002, SendEnd = 1_010, FirstByte = 1_015, LastByte = 1_020, End = 1_020 };

        Assert.Equal(new ObjectTimings(2, -1, -1, -1, 8, 5, 5), PhaseTimings.From(stamps, clock));
    }
}
