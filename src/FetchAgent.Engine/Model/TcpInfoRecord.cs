namespace FetchAgent.Engine.Model;

/// <summary>
/// What the kernel knew of a TCP connection at one moment (Linux <c>TCP_INFO</c>, struct tcp_info in
/// include/uapi/linux/tcp.h): the smoothed round-trip time and its variance, the lowest RTT seen, the congestion
/// window and slow-start threshold (in segments of <see cref="SendMss"/> bytes), retransmissions, the bytes that
/// crossed, and the delivery rate. Extension: on each object (read when it ended) and on each connection (read when
/// it closed); absent where the kernel offers none (not Linux).
/// </summary>
public sealed record TcpInfoRecord
{
    public double RttMs { get; init; }
    public double RttVarMs { get; init; }

    /// <summary>Null when the kernel is too old to report it (before 4.6).</summary>
    public double? MinRttMs { get; init; }

    /// <summary>Congestion window, in segments: starts at 10 (RFC 6928) and grows by slow start.</summary>
    public long CongestionWindow { get; init; }

    /// <summary>Slow-start threshold, in segments; a very large value means slow start has not ended yet.</summary>
    public long SlowStartThreshold { get; init; }

    public long SendMss { get; init; }

    /// <summary>Segments retransmitted over the connection's life (<c>tcpi_total_retrans</c>).</summary>
    public long Retransmits { get; init; }

    /// <summary>Bytes sent and acknowledged, and bytes received, over the connection's life; null before kernel 4.1/4.19.</summary>
    public long? BytesAcked { get; init; }
    public long? BytesReceived { get; init; }
    public long? BytesSent { get; init; }

    public long? SegmentsOut { get; init; }
    public long? SegmentsIn { get; init; }

    /// <summary>The kernel's latest delivery-rate estimate, bytes per second; null before kernel 4.9.</summary>
    public long? DeliveryRateBytesPerSecond { get; init; }
}
