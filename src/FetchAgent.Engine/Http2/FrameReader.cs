using System.Buffers.Binary;

namespace FetchAgent.Engine.Http2;

/// <summary>
/// Reads RFC 9113 frames off a connection's stream and enforces the rules that need nothing but the frame itself:
/// SETTINGS_MAX_FRAME_SIZE (§4.2), each type's fixed length and stream-zero rule (§6), padding (§6.1) and the
/// HEADERS+CONTINUATION sequence (§6.10). Every break is a connection error with its own text.
/// </summary>
public sealed class FrameReader
{
    private readonly Stream _stream;
    private readonly int _maxFrameSize;
    private readonly int _maxFieldBlockBytes;
    private readonly byte[] _head = new byte[FrameHeader.Size];
    private readonly byte[]? _payload;

    /// <param name="maxFrameSize">The SETTINGS_MAX_FRAME_SIZE this side advertised.</param>
    /// <param name="maxFieldBlockBytes">The largest field block (HEADERS + CONTINUATION) taken before the connection fails.</param>
    /// <param name="reusePayloadBuffer">
    /// Read every payload into one buffer of the reader's, so a frame's <see cref="Frame.Payload"/> is valid only until the
    /// next read (a reader loop that handles each frame before it reads the next allocates nothing per frame); a
    /// joined field block is the exception, always a copy of its own.
    /// </param>
    public FrameReader(Stream stream, int maxFrameSize = PeerSettings.DefaultMaxFrameSize, int maxFieldBlockBytes = 256 * 1024, bool reusePayloadBuffer = false)
    {
        _stream = stream;
        _maxFrameSize = maxFrameSize;
        _maxFieldBlockBytes = maxFieldBlockBytes;
        _payload = reusePayloadBuffer ? new byte[maxFrameSize] : null;
    }

    /// <summary>Bytes read off the stream so far, frame headers included.</summary>
    public long BytesRead { get; private set; }

    /// <summary>The next frame, or null when the peer closed cleanly between frames.</summary>
    public async ValueTask<Frame?> ReadAsync(CancellationToken cancellationToken)
    {
        var frame = await ReadOneAsync(cancellationToken).ConfigureAwait(false);
        if (frame is null)
            return null;
        if (frame.Type == FrameType.Continuation)
            throw Protocol($"http2: a CONTINUATION frame on stream {frame.StreamId} without a HEADERS frame before it (§6.10)");
        if (frame.Type != FrameType.Headers || frame.Has(FrameFlags.EndHeaders))
            return frame;

        // §6.10: CONTINUATION frames on the same stream follow, and nothing else, until END_HEADERS.
        var block = new MemoryStream();
        block.Write(frame.Payload.Span);
        while (true)
        {
            var next = await ReadOneAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, $"http2: the connection closed inside the field block of stream {frame.StreamId}", Model.ErrorKind.Reset);
            if (next.Type != FrameType.Continuation || next.StreamId != frame.StreamId)
                throw Protocol($"http2: a {Name(next.Type)} frame on stream {next.StreamId} inside the field block of stream {frame.StreamId} (§6.10 allows only CONTINUATION)");
            block.Write(next.Payload.Span);
            if (block.Length > _maxFieldBlockBytes)
                throw new Http2ProtocolException(Http2ErrorCode.EnhanceYourCalm, $"http2: the field block of stream {frame.StreamId} is larger than {_maxFieldBlockBytes} bytes", Model.ErrorKind.Limit);
            if (next.Has(FrameFlags.EndHeaders))
                break;
        }

        var header = frame.Header with { Length = (int)block.Length, Flags = frame.Header.Flags | FrameFlags.EndHeaders };
        return new Frame(header, block.ToArray());
    }

    private async ValueTask<Frame?> ReadOneAsync(CancellationToken cancellationToken)
    {
        var got = await ReadAtLeastAsync(_head, cancellationToken).ConfigureAwait(false);
        if (got == 0)
            return null;
        if (got < FrameHeader.Size)
            throw Closed();
        var header = FrameHeader.Read(_head);
        if (header.Length > _maxFrameSize)
            throw new Http2ProtocolException(Http2ErrorCode.FrameSizeError,
                $"http2: a {Name(header.Type)} frame of {header.Length} bytes is larger than SETTINGS_MAX_FRAME_SIZE {_maxFrameSize} (§4.2)");
        Check(header);

        var payload = header.Length == 0 ? Memory<byte>.Empty : _payload is { } reused ? reused.AsMemory(0, header.Length) : new byte[header.Length];
        if (payload.Length > 0 && await ReadAtLeastAsync(payload, cancellationToken).ConfigureAwait(false) < payload.Length)
            throw Closed();
        ReadOnlyMemory<byte> body = payload;
        if (header.Type is FrameType.Data or FrameType.Headers)
            body = Unpad(header, body);
        if (header.Type == FrameType.Headers && header.Has(FrameFlags.Priority))
        {
            // §6.2: stream dependency (4) and weight (1), deprecated; ignored.
            if (body.Length < 5)
                throw new Http2ProtocolException(Http2ErrorCode.FrameSizeError, $"http2: a HEADERS frame on stream {header.StreamId} too short for its PRIORITY fields (§6.2)");
            body = body[5..];
        }

        return new Frame(header, body);
    }

    private async ValueTask<int> ReadAtLeastAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var got = await _stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        BytesRead += got;
        return got;
    }

    /// <summary>§6: which frames belong to stream 0, which to a stream, and which have a fixed length.</summary>
    private static void Check(FrameHeader header)
    {
        switch (header.Type)
        {
            case FrameType.Data or FrameType.Headers or FrameType.Continuation or FrameType.RstStream or FrameType.Priority when header.StreamId == 0:
                throw Protocol($"http2: a {Name(header.Type)} frame on stream 0 (§6)");
            case FrameType.Settings or FrameType.Ping or FrameType.GoAway when header.StreamId != 0:
                throw Protocol($"http2: a {Name(header.Type)} frame on stream {header.StreamId} (§6 puts it on stream 0)");
            case FrameType.Settings when header.Has(FrameFlags.Ack) && header.Length != 0:
                throw FrameSize($"http2: a SETTINGS ACK frame with {header.Length} bytes of payload (§6.5)");
            case FrameType.Settings when header.Length % 6 != 0:
                throw FrameSize($"http2: a SETTINGS frame of {header.Length} bytes, not a multiple of 6 (§6.5)");
            case FrameType.Ping when header.Length != 8:
                throw FrameSize($"http2: a PING frame of {header.Length} bytes, not 8 (§6.7)");
            case FrameType.GoAway when header.Length < 8:
                throw FrameSize($"http2: a GOAWAY frame of {header.Length} bytes, fewer than 8 (§6.8)");
            case FrameType.WindowUpdate when header.Length != 4:
                throw FrameSize($"http2: a WINDOW_UPDATE frame of {header.Length} bytes, not 4 (§6.9)");
            case FrameType.RstStream when header.Length != 4:
                throw FrameSize($"http2: a RST_STREAM frame of {header.Length} bytes, not 4 (§6.4)");
            case FrameType.PushPromise:
                // §8.4: a client that sent SETTINGS_ENABLE_PUSH 0 treats PUSH_PROMISE as a connection error.
                throw Protocol($"http2: a PUSH_PROMISE frame on stream {header.StreamId}, though push was disabled (§8.4)");
        }
    }

    private static ReadOnlyMemory<byte> Unpad(FrameHeader header, ReadOnlyMemory<byte> payload)
    {
        if (!header.Has(FrameFlags.Padded))
            return payload;
        if (payload.Length == 0)
            throw FrameSize($"http2: a padded {Name(header.Type)} frame on stream {header.StreamId} without its Pad Length (§6.1)");
        var pad = payload.Span[0];
        // §6.1: padding as long as the payload or longer is a connection error of type PROTOCOL_ERROR.
        if (pad >= payload.Length)
            throw Protocol($"http2: a {Name(header.Type)} frame on stream {header.StreamId} with {pad} bytes of padding in {payload.Length} bytes (§6.1)");
        return payload[1..^pad];
    }

    /// <summary>The frame type's name as RFC 9113 spells it.</summary>
    public static string Name(FrameType type) => type switch
    {
        FrameType.Data => "DATA",
        FrameType.Headers => "HEADERS",
        FrameType.Priority => "PRIORITY",
        FrameType.RstStream => "RST_STREAM",
        FrameType.Settings => "SETTINGS",
        FrameType.PushPromise => "PUSH_PROMISE",
        FrameType.Ping => "PING",
        FrameType.GoAway => "GOAWAY",
        FrameType.WindowUpdate => "WINDOW_UPDATE",
        FrameType.Continuation => "CONTINUATION",
        _ => $"0x{(byte)type:x}",
    };

    /// <summary>The 31-bit value at the start of a WINDOW_UPDATE, RST_STREAM code or GOAWAY last-stream-id.</summary>
    public static uint ReadUInt32(ReadOnlySpan<byte> payload) => BinaryPrimitives.ReadUInt32BigEndian(payload);

    private static Http2ProtocolException Protocol(string text) => new(Http2ErrorCode.ProtocolError, text);

    private static Http2ProtocolException FrameSize(string text) => new(Http2ErrorCode.FrameSizeError, text);

    private static Http2ProtocolException Closed() =>
        new(Http2ErrorCode.ProtocolError, "http2: the connection closed inside a frame", Model.ErrorKind.Reset);
}
