using System.Buffers.Binary;
using System.Net.Sockets;
using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Navigation;

/// <summary>
/// Reads Linux's <c>TCP_INFO</c> (getsockopt level IPPROTO_TCP, option 11) into a <see cref="TcpInfoRecord"/>. The
/// offsets are struct tcp_info's (include/uapi/linux/tcp.h), which only ever grows at its end: a field past what this
/// kernel returned is left null. One system call, about a microsecond; never inside a phase.
/// </summary>
public static class TcpInfoReader
{
    private const int IpProtoTcp = 6;
    private const int TcpInfoOption = 11;

    public static TcpInfoRecord? Read(Socket socket)
    {
        Span<byte> info = stackalloc byte[256];
        return GetInfo(socket, info) is { } length ? Parse(info[..length]) : null;
    }

    /// <summary>The connection's TCP state (<c>tcpi_state</c>, the first byte of TCP_INFO); null where there is none.</summary>
    public static TcpSocketState? State(Socket socket)
    {
        Span<byte> info = stackalloc byte[8];
        return GetInfo(socket, info) is >= 1 ? (TcpSocketState)info[0] : null;
    }

    /// <summary>The one getsockopt: how many bytes of struct tcp_info the kernel wrote, or null off Linux or on a closed socket.</summary>
    private static int? GetInfo(Socket socket, Span<byte> info)
    {
        if (!OperatingSystem.IsLinux())
            return null;
        try
        {
            return socket.GetRawSocketOption(IpProtoTcp, TcpInfoOption, info);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or PlatformNotSupportedException)
        {
            return null;
        }
    }

    internal static TcpInfoRecord? Parse(ReadOnlySpan<byte> info)
    {
        if (info.Length < 104)
            return null; // older than every kernel .NET runs on
        return new TcpInfoRecord
        {
            SendMss = U32(info, 16),
            RttMs = U32(info, 68) / 1000.0,          // tcpi_rtt, µs
            RttVarMs = U32(info, 72) / 1000.0,       // tcpi_rttvar, µs
            SlowStartThreshold = U32(info, 76),      // tcpi_snd_ssthresh
            CongestionWindow = U32(info, 80),        // tcpi_snd_cwnd
            Retransmits = U32(info, 100),            // tcpi_total_retrans
            BytesAcked = U64At(info, 120),           // tcpi_bytes_acked
            BytesReceived = U64At(info, 128),        // tcpi_bytes_received
            SegmentsOut = U32At(info, 136),          // tcpi_segs_out
            SegmentsIn = U32At(info, 140),           // tcpi_segs_in
            MinRttMs = U32At(info, 148) / 1000.0,    // tcpi_min_rtt, µs
            DeliveryRateBytesPerSecond = U64At(info, 160), // tcpi_delivery_rate
            BytesSent = U64At(info, 200),            // tcpi_bytes_sent
        };
    }

    private static uint U32(ReadOnlySpan<byte> info, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(info[offset..]);

    private static long? U32At(ReadOnlySpan<byte> info, int offset) => info.Length >= offset + 4 ? U32(info, offset) : null;

    private static long? U64At(ReadOnlySpan<byte> info, int offset) =>
        info.Length >= offset + 8 ? (long)BinaryPrimitives.ReadUInt64LittleEndian(info[offset..]) : null;
}
