using System.Buffers;
using System.Buffers.Binary;

namespace FetchAgent.Engine.Http2;

/// <summary>Lays out RFC 9113 frames into a buffer; the connection writes the buffer in one go under its write lock.</summary>
public static class FrameWriter
{
    /// <summary>The client connection preface (§3.4), sent before the first SETTINGS.</summary>
    public static ReadOnlySpan<byte> Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    public static void WriteHeader(IBufferWriter<byte> output, int length, FrameType type, FrameFlags flags, int streamId)
    {
        new FrameHeader(length, type, flags, streamId).Write(output.GetSpan(FrameHeader.Size));
        output.Advance(FrameHeader.Size);
    }

    public static void WriteSettings(IBufferWriter<byte> output, IReadOnlyList<(SettingsParameter Id, uint Value)> settings)
    {
        WriteHeader(output, settings.Count * 6, FrameType.Settings, FrameFlags.None, 0);
        foreach (var (id, value) in settings)
        {
            var span = output.GetSpan(6);
            BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)id);
            BinaryPrimitives.WriteUInt32BigEndian(span[2..], value);
            output.Advance(6);
        }
    }

    public static void WriteSettingsAck(IBufferWriter<byte> output) => WriteHeader(output, 0, FrameType.Settings, FrameFlags.Ack, 0);

    public static void WritePing(IBufferWriter<byte> output, ReadOnlySpan<byte> opaque, bool ack)
    {
        WriteHeader(output, 8, FrameType.Ping, ack ? FrameFlags.Ack : FrameFlags.None, 0);
        output.Write(opaque[..8]);
    }

    public static void WriteWindowUpdate(IBufferWriter<byte> output, int streamId, int increment)
    {
        WriteHeader(output, 4, FrameType.WindowUpdate, FrameFlags.None, streamId);
        BinaryPrimitives.WriteUInt32BigEndian(output.GetSpan(4), (uint)increment & 0x7fffffff);
        output.Advance(4);
    }

    public static void WriteRstStream(IBufferWriter<byte> output, int streamId, Http2ErrorCode code)
    {
        WriteHeader(output, 4, FrameType.RstStream, FrameFlags.None, streamId);
        BinaryPrimitives.WriteUInt32BigEndian(output.GetSpan(4), (uint)code);
        output.Advance(4);
    }

    public static void WriteGoAway(IBufferWriter<byte> output, int lastStreamId, Http2ErrorCode code, ReadOnlySpan<byte> debugData = default)
    {
        WriteHeader(output, 8 + debugData.Length, FrameType.GoAway, FrameFlags.None, 0);
        var span = output.GetSpan(8);
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)lastStreamId & 0x7fffffff);
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], (uint)code);
        output.Advance(8);
        output.Write(debugData);
    }

    /// <summary>A field block as one HEADERS frame and as many CONTINUATION frames as <paramref name="maxFrameSize"/> needs (§6.10).</summary>
    public static void WriteHeaders(IBufferWriter<byte> output, int streamId, ReadOnlySpan<byte> fieldBlock, bool endStream, int maxFrameSize)
    {
        var first = Math.Min(fieldBlock.Length, maxFrameSize);
        var flags = (endStream ? FrameFlags.EndStream : FrameFlags.None) | (first == fieldBlock.Length ? FrameFlags.EndHeaders : FrameFlags.None);
        WriteHeader(output, first, FrameType.Headers, flags, streamId);
        output.Write(fieldBlock[..first]);
        var rest = fieldBlock[first..];
        while (rest.Length > 0)
        {
            var n = Math.Min(rest.Length, maxFrameSize);
            WriteHeader(output, n, FrameType.Continuation, n == rest.Length ? FrameFlags.EndHeaders : FrameFlags.None, streamId);
            output.Write(rest[..n]);
            rest = rest[n..];
        }
    }

    public static void WriteData(IBufferWriter<byte> output, int streamId, ReadOnlySpan<byte> data, bool endStream)
    {
        WriteHeader(output, data.Length, FrameType.Data, endStream ? FrameFlags.EndStream : FrameFlags.None, streamId);
        output.Write(data);
    }
}
