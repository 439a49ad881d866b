namespace FetchAgent.Engine.Http2;

/// <summary>
/// One frame as the reader hands it on: its header and its payload with padding removed. A HEADERS frame arrives
/// with its CONTINUATION frames already joined (RFC 9113 §6.10) and the PRIORITY bytes dropped, so
/// <see cref="Payload"/> is the whole field block.
/// </summary>
public sealed record Frame(FrameHeader Header, ReadOnlyMemory<byte> Payload)
{
    public FrameType Type => Header.Type;

    public int StreamId => Header.StreamId;

    public bool Has(FrameFlags flag) => Header.Has(flag);
}
