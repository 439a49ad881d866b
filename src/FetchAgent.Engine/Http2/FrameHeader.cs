using System.Buffers.Binary;

namespace FetchAgent.Engine.Http2;

/// <summary>The nine bytes before every frame's payload (RFC 9113 §4.1): 24-bit length, type, flags, reserved bit and 31-bit stream id.</summary>
public readonly record struct FrameHeader(int Length, FrameType Type, FrameFlags Flags, int StreamId)
{
    public const int Size = 9;

    public bool Has(FrameFlags flag) => (Flags & flag) == flag;

    public static FrameHeader Read(ReadOnlySpan<byte> bytes)
    {
        var length = (bytes[0] << 16) | (bytes[1] << 8) | bytes[2];
        // §4.1: the reserved bit MUST be ignored when receiving.
        var streamId = (int)(BinaryPrimitives.ReadUInt32BigEndian(bytes[5..9]) & 0x7fffffff);
        return new FrameHeader(length, (FrameType)bytes[3], (FrameFlags)bytes[4], streamId);
    }

    public void Write(Span<byte> bytes)
    {
        bytes[0] = (byte)(Length >> 16);
        bytes[1] = (byte)(Length >> 8);
        bytes[2] = (byte)Length;
        bytes[3] = (byte)Type;
        bytes[4] = (byte)Flags;
        BinaryPrimitives.WriteUInt32BigEndian(bytes[5..9], (uint)StreamId & 0x7fffffff);
    }
}
