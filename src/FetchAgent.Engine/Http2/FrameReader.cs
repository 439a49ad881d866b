using System.Buffers.Binary;

namespace FetchAgent.Engine.Http2;

/// <summary>
/// Reads RFC 9113 frames off a connection's stream and enforces the rules that need nothing but the frame itself:
/// SETTINGS_MAX_FRAME_SIZE (§4.2), each type's fixed length and stream-zero rule (§6), padding (§6.1) and the
/// HEADERS+CONTINUATION sequence (§6.10). Every break is a connection error with its own text.
/// </summary>
public sealed class FrameReader
{
    /// <summary>What one read off the stream may bring: several frames at once, so most frames need no read of their own.</summary>
    private const int ReadAhead = 64 * 1024;

    private readonly Stream _stream;
    private readonly int _maxFrameSize;
    private readonly int _maxFieldBlockBytes;
    private readonly bool _reusePayloadBuffer;

    /// <summary>Bytes read off the stream and not yet handed out as frames: <c>_buffer[_start.._end]</c>.</summary>
    private readonly byte[] _buffer;
    private int _start;
    private int _end;

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
        _reusePayloadBuffer = reusePayloadBuffer;
        // Room for a whole frame of the largest size after whatever is left of the one before it.
        _buffer = new byte[Math.Max(ReadAhead, 2 * (FrameHeader.Size + maxFrameSize))];
    }

    /// <summary>Bytes of the frames handed out so far, frame headers included.</summary>
    public long BytesRead { get; private set; }

    /// <summary>
    /// The next frame, or null when the peer closed cleanly between frames. A frame whose bytes an earlier read
    /// already brought is handed out at once, without a read or an asynchronous step of its own.
    /// </summary>
    public ValueTask<Frame?> ReadAsync(CancellationToken cancellationToken)
    {
        Frame? frame;
        try
        {
            if (TryTake(out frame) && frame.Type != FrameType.Continuation && (frame.Type != FrameType.Headers || frame.Has(FrameFlags.EndHeaders)))
                return new ValueTask<Frame?>(frame);
        }
        catch (Http2ProtocolException e)
        {
            return ValueTask.FromException<Frame?>(e);
        }

        return ReadSlowAsync(frame, cancellationToken);
    }

    private async ValueTask<Frame?> ReadSlowAsync(Frame? frame, CancellationToken cancellationToken)
    {
        frame ??= await ReadOneAsync(cancellationToken).ConfigureAwait(false);
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
        while (true)
        {
            if (TryTake(out var frame))
                return frame;
            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
                return _end == _start ? null : throw Closed();
        }
    }

    /// <summary>
    /// The next frame if its bytes are all in the buffer. Its header is checked as soon as its nine bytes are in,
    /// before its payload is waited for, so an oversized or misplaced frame fails at once.
    /// </summary>
    private bool TryTake([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Frame? frame)
    {
        frame = null;
        var buffered = _end - _start;
        if (buffered < FrameHeader.Size)
            return false;
        var header = FrameHeader.Read(_buffer.AsSpan(_start, FrameHeader.Size));
        if (header.Length > _maxFrameSize)
            throw new Http2ProtocolException(Http2ErrorCode.FrameSizeError,
                $"http2: a {Name(header.Type)} frame of {header.Length} bytes is larger than SETTINGS_MAX_FRAME_SIZE {_maxFrameSize} (§4.2)");
        Check(header);
        if (buffered < FrameHeader.Size + header.Length)
            return false;

        var at = _start + FrameHeader.Size;
        _start = at + header.Length;
        BytesRead += FrameHeader.Size + header.Length;
        ReadOnlyMemory<byte> body = header.Length == 0 ? ReadOnlyMemory<byte>.Empty
            : _reusePayloadBuffer ? _buffer.AsMemory(at, header.Length) : _buffer.AsSpan(at, header.Length).ToArray();
        if (header.Type is FrameType.Data or FrameType.Headers)
            body = Unpad(header, body);
        if (header.Type == FrameType.Headers && header.Has(FrameFlags.Priority))
        {
            // §6.2: stream dependency (4) and weight (1), deprecated; ignored.
            if (body.Length < 5)
                throw new Http2ProtocolException(Http2ErrorCode.FrameSizeError, $"http2: a HEADERS frame on stream {header.StreamId} too short for its PRIORITY fields (§6.2)");
            body = body[5..];
        }

        frame = new Frame(header, body);
        return true;
    }

    /// <summary>
    /// One read off the stream into the buffer, after moving what is left of a frame to its front (the frames handed
    /// out before are done with: a payload in the buffer is valid until the next read). False at the end of the stream.
    /// </summary>
    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_start > 0 && _buffer.Length - _end < FrameHeader.Size + _maxFrameSize)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        var got = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        _end += got;
        return got > 0;
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
