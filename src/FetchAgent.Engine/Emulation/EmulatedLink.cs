using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Emulation;

/// <summary>
/// One page load's emulated access link: the download and upload bandwidth every connection of the load shares. Bytes
/// are sent on it one chunk after another (each chunk a read's or a write's worth, so connections interleave finely), each
/// taking its size at the bandwidth; a chunk ready while the link is busy waits for it. Times are
/// <see cref="TimeProvider"/> timestamps.
/// </summary>
public sealed class EmulatedLink(EmulatedNetwork conditions, TimeProvider time)
{
    private readonly Lock _lock = new();
    private long _downFreeAt;
    private long _upFreeAt;

    public EmulatedNetwork Conditions => conditions;
    public TimeProvider Time => time;

    /// <summary>
    /// The downlink's share for one connection: waits while the link has more than one piece's time booked ahead, then
    /// books <paramref name="bytes"/>. Connections sending at once so take turns piece by piece (a fair share each, as
    /// TCP flows sharing a bottleneck roughly get), instead of the first to arrive booking the link for all it has.
    /// </summary>
    public async ValueTask<long> DownFairAsync(long bytes, long readyAt, CancellationToken cancellationToken)
    {
        if (conditions.DownKbps <= 0)
            return readyAt;
        // Booked ahead by up to two pieces or 30 ms, whichever is more: a timer that wakes late leaves the link busy.
        var horizon = Math.Max(2 * Ticks(bytes * 8.0 / conditions.DownKbps), Ticks(30));
        while (true)
        {
            var ahead = Volatile.Read(ref _downFreeAt) - time.GetTimestamp();
            if (ahead <= horizon)
                return Send(bytes, readyAt, conditions.DownKbps, ref _downFreeAt, slack: horizon);
            await Task.Delay(TimeSpan.FromSeconds((ahead - horizon) / (double)time.TimestampFrequency), time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The most a connection sends on the downlink at once: 5 ms of it, and at least 4 segments.</summary>
    public int PieceBytes => conditions.DownKbps <= 0 ? int.MaxValue : Math.Max(4 * EmulatedNetwork.SegmentBytes, conditions.DownKbps / 8 * 5);

    /// <summary>When <paramref name="bytes"/> ready at <paramref name="readyAt"/> have crossed the uplink.</summary>
    public long Up(long bytes, long readyAt) => Send(bytes, readyAt, conditions.UpKbps, ref _upFreeAt, slack: 0);

    /// <summary>A duration in ms as <see cref="TimeProvider"/> ticks.</summary>
    public long Ticks(double ms) => (long)Math.Round(ms * time.TimestampFrequency / 1000.0);

    /// <param name="slack">
    /// How far back a booking may start: time the link sat idle is gone, not credit for later bytes, except for as long
    /// as a sender's timer may have woken late (the fair share's horizon), which is the emulation's lateness, not the
    /// network's.
    /// </param>
    private long Send(long bytes, long readyAt, int kbps, ref long freeAt, long slack)
    {
        if (kbps <= 0)
            return readyAt;
        lock (_lock)
        {
            var start = Math.Max(Math.Max(readyAt, freeAt), time.GetTimestamp() - slack);
            // kbit/s: bytes × 8 / kbps is ms.
            freeAt = start + Ticks(bytes * 8.0 / kbps);
            return freeAt;
        }
    }
}
