using System.Buffers.Binary;
using FetchAgent.Engine.Http1;
using FetchAgent.Engine.Http2;

namespace FetchAgent.Engine.Connections;

/// <summary>
/// One request/response exchange on an <see cref="Http2Connection"/> (RFC 9113 §5): fed by the connection's reader
/// loop (HEADERS, DATA, RST_STREAM), it builds the same <see cref="ResponseHead"/> and <see cref="ResponseBody"/>
/// HTTP/1.1's reader does, so discovery, decoding and the object record work unchanged.
/// </summary>
internal sealed class Http2Stream
{
    private const int InitialContentCapacity = 16 * 1024;
    private readonly ExchangeRequest _request;
    private readonly long _maxBodyBytes;
    private readonly TaskCompletionSource<ResponseHead> _head = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ResponseBody> _body = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ResponseHead? _received;
    private BodyObserver? _observer;
    private byte[]? _content;
    private long _kept;
    private long _keepLimit;
    private uint _lastFour;

    public Http2Stream(int id, ExchangeRequest request, long maxBodyBytes)
    {
        Id = id;
        _request = request;
        _maxBodyBytes = maxBodyBytes;
        _observer = request.BodyObserver;
    }

    public int Id { get; }

    /// <summary>The write that carried the stream's HEADERS: it ends with the clock reading taken after the write returned.</summary>
    public Task<long>? Sent { get; set; }

    public Task<ResponseHead> Head => _head.Task;

    public Task<ResponseBody> Body => _body.Task;

    /// <summary>DATA payload bytes received (the body on the wire; padding excluded).</summary>
    public long BodyBytes { get; private set; }

    /// <summary>DATA frame payload bytes received, padding included: what flow control counts (§6.9.1).</summary>
    public long Received { get; set; }

    /// <summary>Bytes received since the last WINDOW_UPDATE this side sent for the stream (§6.9).</summary>
    public int Unacknowledged { get; set; }

    /// <summary>Bytes given back by WINDOW_UPDATE so far: the window left is <c>StreamWindow + Acknowledged - Received</c>.</summary>
    public int Acknowledged { get; set; }

    public bool Ended => _body.Task.IsCompleted;

    /// <summary>
    /// A field block for this stream (§8.1): the response head, an interim 1xx head (skipped), or trailers.
    /// Returns the error text when the head breaks §8.3.2.
    /// </summary>
    public void OnHeaders(List<HpackField> fields, long blockBytes, long at, bool endStream)
    {
        if (_received is null)
        {
            var status = fields.FirstOrDefault(f => f.Name == ":status").Value;
            if (status is null || status.Length != 3 || !int.TryParse(status, out var code))
                throw new Http2StreamException(Http2ErrorCode.ProtocolError, $"http2: the response on stream {Id} has no valid :status (§8.3.2)", Model.ErrorKind.Protocol);
            if (code is >= 100 and < 200)
                return;
            _received = new ResponseHead
            {
                Major = 2,
                Minor = 0,
                StatusCode = code,
                ReasonPhrase = "",
                Headers = fields.Where(f => !f.Name.StartsWith(':')).Select(f => new HeaderField(f.Name, f.Value)).ToList(),
                HeaderBytes = blockBytes,
                FirstByteTimestamp = at,
            };
            _keepLimit = !_request.KeepContent ? 0 : _request.KeepLimit is { } limit ? limit(_received) : long.MaxValue;
            _head.TrySetResult(_received);
        }

        if (endStream)
            End(at);
    }

    public void OnData(ReadOnlySpan<byte> data, long at, bool endStream)
    {
        if (_received is null)
            throw new Http2StreamException(Http2ErrorCode.ProtocolError, $"http2: DATA on stream {Id} before its response HEADERS (§8.1)", Model.ErrorKind.Protocol);
        BodyBytes += data.Length;
        if (BodyBytes > _maxBodyBytes)
            throw new Http2StreamException(Http2ErrorCode.Cancel, $"body too large: over {_maxBodyBytes} bytes", Model.ErrorKind.Limit) { BodyBytesSoFar = BodyBytes - data.Length };
        Keep(data);
        _lastFour = data.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(data[^4..]) : ShiftIn(_lastFour, data);
        if (_observer is { } observer)
        {
            try
            {
                observer(_received, data);
            }
            catch (Exception)
            {
                // The observer is discovery's business; its failure must not fail the exchange.
                _observer = null;
            }
        }

        if (endStream)
            End(at);
    }

    public void Fail(Exception error)
    {
        _head.TrySetException(error);
        _body.TrySetException(error);
    }

    private void End(long at)
    {
        _body.TrySetResult(new ResponseBody
        {
            Framing = BodyFraming.None,
            WireBytes = BodyBytes,
            Content = _content is null ? ReadOnlyMemory<byte>.Empty : _content.AsMemory(0, (int)_kept),
            LastFourBytes = _lastFour,
            LastByteTimestamp = at,
        });
    }

    private void Keep(ReadOnlySpan<byte> data)
    {
        var take = (int)Math.Min(data.Length, Math.Min(_keepLimit, Array.MaxLength) - _kept);
        if (take <= 0)
            return;
        var needed = _kept + take;
        if (_content is null || _content.Length < needed)
        {
            var grown = new byte[Math.Min(Math.Max(needed, Math.Max(InitialContentCapacity, (_content?.Length ?? 0) * 2L)), Array.MaxLength)];
            _content?.AsSpan(0, (int)_kept).CopyTo(grown);
            _content = grown;
        }

        data[..take].CopyTo(_content.AsSpan((int)_kept));
        _kept += take;
    }

    private static uint ShiftIn(uint lastFour, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
            lastFour = (lastFour >> 8) | ((uint)b << 24);
        return lastFour;
    }
}
