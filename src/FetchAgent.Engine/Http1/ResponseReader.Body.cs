namespace FetchAgent.Engine.Http1;

public sealed partial class ResponseReader
{
    private const int InitialContentCapacity = 16 * 1024;

    // State of the body being read; one body at a time per connection.
    private BodyReadOptions _bodyOptions = new(0, false);
    private long _bodyBytes;
    private byte[]? _content;
    private long _lastBodyTimestamp;
    private BodyObserver? _observer;
    private uint _lastFour;
    private ResponseHead? _observedHead;

    /// <summary>Reads the body framed as RFC 9112 §6.3 says for this head and request method.</summary>
    public async ValueTask<ResponseBody> ReadBodyAsync(ResponseHead head, string requestMethod, BodyReadOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(requestMethod);
        ArgumentNullException.ThrowIfNull(options);

        var length = BodyLength.Determine(head, requestMethod);
        _bodyOptions = options;
        _bodyBytes = 0;
        _content = null;
        _lastFour = 0;
        _lastBodyTimestamp = _headCompleteTimestamp;
        _observer = options.Observer;
        _observedHead = head;

        IReadOnlyList<HeaderField> trailers = [];
        try
        {
            switch (length.Framing)
            {
                case BodyFraming.ContentLength:
                    await ReadContentLengthBodyAsync(length.ContentLength, cancellationToken).ConfigureAwait(false);
                    break;
                case BodyFraming.Chunked:
                    trailers = await ReadChunkedBodyAsync(cancellationToken).ConfigureAwait(false);
                    break;
                case BodyFraming.CloseDelimited:
                    await ReadCloseDelimitedBodyAsync(cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        finally
        {
            _observer = null;
            _observedHead = null;
        }

        // The array is handed to the caller; the next body starts a new one.
        var content = options.KeepContent && _content is not null ? _content.AsMemory(0, (int)Math.Min(_bodyBytes, KeptCap)) : ReadOnlyMemory<byte>.Empty;
        _content = null;
        return new ResponseBody
        {
            Framing = length.Framing,
            WireBytes = _bodyBytes,
            Content = content,
            Trailers = trailers,
            LastFourBytes = _lastFour,
            LastByteTimestamp = _lastBodyTimestamp,
        };
    }

    // RFC 9112 §6.3 rule 6: exactly Content-Length octets; fewer before EOF is an incomplete message (§8).
    private async ValueTask ReadContentLengthBodyAsync(long length, CancellationToken cancellationToken)
    {
        if (length > _bodyOptions.MaxBodyBytes)
            throw BodyTooLarge();
        if (length == 0)
            return;
        if (_bodyOptions.KeepContent)
            EnsureContentCapacity(Math.Min(length, KeptCap), exact: true);

        var take = (int)Math.Min(Buffered, length);
        AcceptBody(Unread[..take]);
        _start += take;

        while (_bodyBytes < length)
        {
            var remaining = length - _bodyBytes;
            int read;
            try
            {
                if (_bodyOptions.KeepContent && _bodyBytes < KeptCap)
                {
                    // The buffer is empty here; read straight into the content, never past this body or the kept part.
                    read = await _stream.ReadAsync(_content.AsMemory((int)_bodyBytes, (int)Math.Min(remaining, KeptCap - _bodyBytes)), cancellationToken).ConfigureAwait(false);
                    if (read > 0)
                    {
                        _lastFillTimestamp = _lastBodyTimestamp = _timeProvider.GetTimestamp();
                        _bodyBytes += read;
                        Observe(_content.AsSpan((int)_bodyBytes - read, read));
                    }
                }
                else
                {
                    read = await FillAsync(cancellationToken).ConfigureAwait(false);
                    take = (int)Math.Min(Buffered, remaining);
                    AcceptBody(Unread[..take]);
                    _start += take;
                }
            }
            catch (Exception ex) when (IsConnectionFailure(ex))
            {
                throw TruncatedContentLength(length, ex);
            }

            if (read == 0)
                throw TruncatedContentLength(length, null);
        }
    }

    // RFC 9112 §6.3 rule 8: the body ends when the server closes; that is also why the connection cannot be reused.
    private async ValueTask ReadCloseDelimitedBodyAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            AcceptBody(Unread);
            _start = _end;
            int read;
            try
            {
                read = await FillAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsConnectionFailure(ex))
            {
                throw Fail(ResponseRejection.Truncated, $"truncated: connection reset after {_bodyBytes} bytes", ex);
            }

            if (read == 0)
                return;
        }
    }

    /// <summary>Counts (and, if asked, keeps) body bytes, enforcing the per-object size limit.</summary>
    private void AcceptBody(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
            return;
        if (data.Length > _bodyOptions.MaxBodyBytes - _bodyBytes)
            throw BodyTooLarge();
        if (_bodyOptions.KeepContent && _bodyBytes < KeptCap)
        {
            // Only the leading KeptCap bytes are kept; the rest is counted as it crosses the wire.
            var keep = (int)Math.Min(data.Length, KeptCap - _bodyBytes);
            EnsureContentCapacity(_bodyBytes + keep, exact: false);
            data[..keep].CopyTo(_content.AsSpan((int)_bodyBytes));
        }

        _bodyBytes += data.Length;
        _lastBodyTimestamp = _lastFillTimestamp;
        Observe(data);
    }

    /// <summary>Shows accepted body bytes to the observer, if any; one that throws sees no more of this body.</summary>
    private void Observe(ReadOnlySpan<byte> data)
    {
        // Four bytes shifted in per read: the cost of knowing a gzip body's decoded size without decoding it.
        _lastFour = data.Length >= 4
            ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(data[^4..])
            : ShiftIn(_lastFour, data);
        if (_observer is not { } observer)
            return;
        try
        {
            observer(_observedHead!, data);
        }
        catch (Exception)
        {
            // The observer is the caller's business (discovery); its failure must not fail the exchange.
            _observer = null;
        }
    }

    private static uint ShiftIn(uint lastFour, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
            lastFour = (lastFour >> 8) | ((uint)b << 24);
        return lastFour;
    }

    private void EnsureContentCapacity(long needed, bool exact)
    {
        if (_content is not null && _content.Length >= needed)
            return;
        if (needed > Array.MaxLength)
            throw Fail(ResponseRejection.BodyTooLarge, $"body too large: over {Array.MaxLength} bytes");

        var limit = Math.Min(Math.Min(_bodyOptions.MaxBodyBytes, KeptCap), Array.MaxLength);
        var capacity = exact ? needed : Math.Min(Math.Max(needed, Math.Max(InitialContentCapacity, (_content?.Length ?? 0) * 2L)), limit);
        var grown = new byte[capacity];
        _content?.AsSpan(0, (int)_bodyBytes).CopyTo(grown);
        _content = grown;
    }

    /// <summary>How many leading body bytes are kept (with KeepContent).</summary>
    private long KeptCap => _bodyOptions.MaxKeptBytes;

    private HttpProtocolException BodyTooLarge() =>
        Fail(ResponseRejection.BodyTooLarge, $"body too large: over {_bodyOptions.MaxBodyBytes} bytes");

    private HttpProtocolException TruncatedContentLength(long length, Exception? inner) =>
        Fail(ResponseRejection.Truncated, $"truncated: {_bodyBytes} of {length} bytes", inner);

    /// <summary>A body failure that still reports how much of the body arrived.</summary>
    private HttpProtocolException Fail(ResponseRejection reason, string message, Exception? inner = null) =>
        new(reason, message, inner) { BodyBytesSoFar = _bodyBytes };
}
