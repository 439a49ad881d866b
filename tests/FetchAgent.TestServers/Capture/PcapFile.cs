using System.Buffers.Binary;
using System.Net;

namespace FetchAgent.TestServers.Capture;

/// <summary>
/// Reads the TCP segments of a classic pcap file (what <c>tcpdump -w</c> writes): microsecond or nanosecond
/// timestamps, either byte order, link types Ethernet (Linux's loopback), Linux cooked (SLL) and raw IP;
/// IPv4 and IPv6. Anything else in the file is skipped. A record cut short at the end (tcpdump still writing) ends the read.
/// </summary>
public static class PcapFile
{
    private const uint MagicMicro = 0xa1b2c3d4;
    private const uint MagicNano = 0xa1b23c4d;

    public static IReadOnlyList<TcpSegment> ReadTcp(string path)
    {
        byte[] bytes;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }

        return ReadTcp(bytes);
    }

    public static IReadOnlyList<TcpSegment> ReadTcp(ReadOnlySpan<byte> file)
    {
        var segments = new List<TcpSegment>();
        if (file.Length < 24)
            return segments;
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(file);
        bool little;
        bool nano;
        if (magic is MagicMicro or MagicNano)
        {
            little = true;
            nano = magic == MagicNano;
        }
        else
        {
            magic = BinaryPrimitives.ReadUInt32BigEndian(file);
            if (magic is not (MagicMicro or MagicNano))
                throw new InvalidDataException($"not a pcap file (magic {magic:x8})");
            little = false;
            nano = magic == MagicNano;
        }

        uint U32(ReadOnlySpan<byte> s) => little ? BinaryPrimitives.ReadUInt32LittleEndian(s) : BinaryPrimitives.ReadUInt32BigEndian(s);
        var linkType = U32(file[20..]);
        var at = 24;
        while (at + 16 <= file.Length)
        {
            var seconds = U32(file[at..]);
            var fraction = U32(file[(at + 4)..]);
            var captured = (int)U32(file[(at + 8)..]);
            at += 16;
            if (at + captured > file.Length)
                break;
            var timeNs = seconds * 1_000_000_000L + (nano ? fraction : fraction * 1000L);
            if (Parse(file.Slice(at, captured), linkType, timeNs) is { } segment)
                segments.Add(segment);
            at += captured;
        }

        return segments;
    }

    private static TcpSegment? Parse(ReadOnlySpan<byte> frame, uint linkType, long timeNs)
    {
        int etherType;
        ReadOnlySpan<byte> ip;
        switch (linkType)
        {
            case 1: // DLT_EN10MB
                if (frame.Length < 14)
                    return null;
                etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
                ip = frame[14..];
                break;
            case 113: // DLT_LINUX_SLL
                if (frame.Length < 16)
                    return null;
                etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[14..]);
                ip = frame[16..];
                break;
            case 101 or 12: // raw IP
                etherType = frame.Length > 0 && frame[0] >> 4 == 6 ? 0x86dd : 0x0800;
                ip = frame;
                break;
            default:
                return null;
        }

        IPAddress source, destination;
        ReadOnlySpan<byte> tcp;
        int tcpLength;
        if (etherType == 0x0800 && ip.Length >= 20)
        {
            var headerLength = (ip[0] & 0x0f) * 4;
            if (ip[9] != 6 || ip.Length < headerLength)
                return null;
            var total = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
            source = new IPAddress(ip.Slice(12, 4));
            destination = new IPAddress(ip.Slice(16, 4));
            tcp = ip[headerLength..];
            tcpLength = total - headerLength;
        }
        else if (etherType == 0x86dd && ip.Length >= 40)
        {
            if (ip[6] != 6)
                return null; // extension headers: not on loopback TCP
            source = new IPAddress(ip.Slice(8, 16));
            destination = new IPAddress(ip.Slice(24, 16));
            tcp = ip[40..];
            tcpLength = BinaryPrimitives.ReadUInt16BigEndian(ip[4..]);
        }
        else
        {
            return null;
        }

        if (tcp.Length < 20)
            return null;
        var dataOffset = (tcp[12] >> 4) * 4;
        var payloadLength = tcpLength - dataOffset;
        var captured = Math.Clamp(tcp.Length - dataOffset, 0, Math.Max(payloadLength, 0));
        return new TcpSegment(
            timeNs, source, BinaryPrimitives.ReadUInt16BigEndian(tcp), destination, BinaryPrimitives.ReadUInt16BigEndian(tcp[2..]),
            (TcpFlags)(tcp[13] & 0x1f), BinaryPrimitives.ReadUInt32BigEndian(tcp[4..]), Math.Max(payloadLength, 0),
            tcp.Slice(dataOffset, captured).ToArray());
    }
}
