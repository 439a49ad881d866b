using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Sockets;
using FetchAgent.Engine.Http1;
using FetchAgent.Engine.Http2;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Navigation;

namespace FetchAgent.Engine.Connections;

/// <summary>
/// An HTTP/2 connection (RFC 9113): every exchange is a stream on one connection, many in flight at once. A reader
/// loop takes every frame off the connection and hands it to its stream; writes (HEADERS, WINDOW_UPDATE, PING ACK,
/// SETTINGS ACK) go out one frame sequence at a time under a write lock.
/// </summary>
internal sealed partial class Http2Connection : PooledConnection
{
    /// <summary>
    /// The stream limit assumed until the server's SETTINGS say otherwise, and the most this side ever uses. RFC 9113
    /// §6.5.2 puts no initial limit on SETTINGS_MAX_CONCURRENT_STREAMS, but a client that sends before the server's
    /// SETTINGS arrive (§3.4) needs one: Chromium assumes 100 until told and never goes above 100, and so does this.
    /// </summary>
    public const int DefaultMaxConcurrentStreams = 100;

    /// <summary>The stream window this side advertises (Chromium's 6 MiB) and the connection window it opens to (15 MiB more).</summary>
    public const int StreamWindow = 6 * 1024 * 1024;
    public const int ConnectionWindowIncrement = 15 * 1024 * 1024;

    /// <summary>SETTINGS_HEADER_TABLE_SIZE this side advertises: the default, so the decoder's table is 4 KiB.</summary>
    public const int HeaderTableSize = 4096;

    private readonly ConcurrentDictionary<int, Http2Stream> _streams = new();
    private readonly HpackEncoder _encoder = new(cacheFields: true);
    private readonly HpackDecoder _decoder = new(HeaderTableSize);
    private readonly FrameReader _reader;
    private readonly Task _reading;
    private readonly object _limitSync = new();
    private int _nextStreamId = 1;
    private int _connectionUnacknowledged;
    private volatile bool _goingAway;
    private volatile bool _settingsReceived;
    private volatile Exception? _failure;
    private int _peerStreamLimit = DefaultMaxConcurrentStreams;
    private Action<int>? _streamLimitChanged;
    private string? _overGranted;

    public Http2Connection(int id, Origin origin, Transport transport, PageClock clock)
        : base(id, origin, transport, clock)
    {
        Record.Protocol = "h2";
        // The reader loop handles each frame before it reads the next, so one payload buffer serves them all.
        _reader = new FrameReader(transport.Stream, reusePayloadBuffer: true);
        // The preface and SETTINGS take the write lock before the constructor returns, so no HEADERS can go ahead of them.
        _reading = RunAsync();
    }

    /// <summary>What the server's SETTINGS said so far (the initial values until they arrive).</summary>
    public PeerSettings PeerSettings { get; } = new();

    /// <summary>The most streams open at once on this connection.</summary>
    public int PeakConcurrentStreams { get; private set; }

    /// <summary>
    /// The stream limit the pool leases against, under its lock: <see cref="DefaultMaxConcurrentStreams"/> until the
    /// server's SETTINGS_MAX_CONCURRENT_STREAMS arrives, then that (at most 100). Set by the pool only, so it never
    /// changes between the pool's question and its grant.
    /// </summary>
    public int StreamLimit { get; private set; } = DefaultMaxConcurrentStreams;

    /// <summary>
    /// The pool, under its lock, as it attaches this connection: <paramref name="changed"/> is called (from the reader
    /// loop) with each new limit the server's SETTINGS set; the limit known so far is taken at once.
    /// </summary>
    public void FollowStreamLimit(Action<int> changed)
    {
        lock (_limitSync)
        {
            _streamLimitChanged = changed;
            StreamLimit = _peerStreamLimit;
        }
    }

    /// <summary>The pool, under its lock: the server's new SETTINGS_MAX_CONCURRENT_STREAMS is the limit from now on.</summary>
    public void SetStreamLimit(int limit) => StreamLimit = limit;

    /// <summary>
    /// RFC 9113 §3.4: "the client is permitted to send additional frames to the server immediately after sending its
    /// connection preface, without waiting to receive the server connection preface". The preface is already on its
    /// way (the constructor started it), so the connection carries streams at once, under the initial settings and
    /// <see cref="DefaultMaxConcurrentStreams"/>; the server's SETTINGS apply when they arrive. A round trip spent
    /// waiting for them would land in the first object's <c>send</c>, where nothing is being sent.
    /// </summary>
    public override Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override async Task<ExchangeResponse> ExchangeAsync(
        ExchangeRequest request, Lease lease, long maxBodyBytes, TransactionTimestamps stamps, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var fields = RequestFields(request);
        stamps.RequestHeaders = fields.ConvertAll(f => new HeaderField(f.Name, f.Value));
        // The encoder keeps no dynamic table (its output depends on the fields alone), so the block is encoded before
        // the send side is taken; only the stream id and the frame's place in the queue are decided under it.
        var block = EncodeBlock(fields);
        Http2Stream stream;
        bool lead;
        lock (_outSync)
        {
            // §5.1.1: stream ids rise in the order HEADERS go out, so the id is taken as the frame is queued. The stream
            // is registered before the reader loop's state is checked, so a failure or GOAWAY the loop notes meanwhile
            // is seen here or reaches the stream there, never neither.
            stream = new Http2Stream(_nextStreamId, request, maxBodyBytes);
            _nextStreamId += 2;
            _streams[stream.Id] = stream;
            Trace?.Multiplexed(lease.GrantedAt, this, stream.Id, request, lease.Sharing);
            if (_failure is { } failed)
            {
                _streams.TryRemove(stream.Id, out _);
                throw Mapped(failed, stream);
            }

            if (_goingAway)
            {
                _streams.TryRemove(stream.Id, out _);
                throw Unanswered("the server sent GOAWAY before the request");
            }

            PeakConcurrentStreams = Math.Max(PeakConcurrentStreams, _streams.Count);
            Record.PeakConcurrentStreams = PeakConcurrentStreams;
            FrameWriter.WriteHeaders(_queued, stream.Id, block.WrittenSpan, endStream: true, PeerSettings.MaxFrameSize);
            stream.Sent = QueuedBatchWritten();
            _queuedStreams.Add(stream);
            lead = StartWriting();
        }

        if (lead)
            ScheduleDrain();

        // One wait for the whole exchange: the body's end comes after the head and after the write that carried the
        // HEADERS (a failed write fails the stream), so the stamps of both are read off their tasks, which have ended.
        // A continuation per step (written, head, body) would be three trips through the thread pool per stream.
        try
        {
            var body = await stream.Body.WaitAsync(cancellationToken).ConfigureAwait(false);
            var head = await stream.Head.ConfigureAwait(false);
            // `send` ends once the write that carried this stream's HEADERS (and END_STREAM) returned: the reading the
            // writer took right after it, shared by every stream of the batch.
            stamps.SendEnd = await stream.Sent.ConfigureAwait(false);
            stamps.FirstByte = head.FirstByteTimestamp;
            stamps.Head = head;
            stamps.LastByte = body.LastByteTimestamp;
            return new ExchangeResponse(head, body);
        }
        catch (OperationCanceledException)
        {
            NoteProgress(stream, stamps);
            if (!_settingsReceived)
            {
                // §3.4: the server's preface (its SETTINGS) never came, so neither did anything else; the deadline says so.
                stamps.NoServerPreface = true;
                Record.Error ??= NoSettingsText;
                Record.ErrorKind ??= ErrorKind.Timeout;
            }

            // §8.7: a request given up is cancelled with RST_STREAM (CANCEL); the connection lives on. Its HEADERS are
            // queued or out (they cannot be taken back), so the RST_STREAM follows them.
            if (_streams.TryRemove(stream.Id, out _))
                await TryWriteAsync(w => FrameWriter.WriteRstStream(w, stream.Id, Http2ErrorCode.Cancel)).ConfigureAwait(false);
            throw;
        }
        catch (Exception e) when (e is Http2StreamException or Http2ProtocolException)
        {
            NoteProgress(stream, stamps);
            throw Mapped(e, stream);
        }
        catch
        {
            NoteProgress(stream, stamps);
            throw;
        }
        finally
        {
            _streams.TryRemove(stream.Id, out _);
        }
    }

    /// <summary>What an exchange that failed had got so far: its HEADERS written, its response head.</summary>
    private static void NoteProgress(Http2Stream stream, TransactionTimestamps stamps)
    {
        if (stream.Sent is { IsCompletedSuccessfully: true } sent)
            stamps.SendEnd = sent.Result;
        if (stream.Head.IsCompletedSuccessfully)
        {
            stamps.FirstByte = stream.Head.Result.FirstByteTimestamp;
            stamps.Head = stream.Head.Result;
        }
    }

    /// <summary>
    /// RFC 9113 §8.3.1 and §8.2.2: the pseudo-header fields first, then the fields HTTP/1.1 sends (RequestWriter's)
    /// lower-cased, without the connection-specific ones (Host becomes :authority; Connection has no meaning in
    /// HTTP/2). Built here directly, in the order and with the values of <see cref="RequestWriter.Headers"/>.
    /// </summary>
    internal static List<HpackField> RequestFields(ExchangeRequest request)
    {
        var extra = request.ExtraHeaders;
        var fields = new List<HpackField>(8 + (extra?.Count ?? 0))
        {
            new(":method", request.Method),
            new(":scheme", request.Url.Scheme),
            new(":authority", RequestWriter.HostFieldValue(request.Url)),
            new(":path", RequestTarget.For(request.Url)),
            new("user-agent", RequestWriter.UserAgent),
            new("accept", request.Accept),
            new("accept-encoding", RequestWriter.AcceptEncoding),
        };
        if (extra is not null)
        {
            foreach (var field in extra)
            {
                var name = field.Name.ToLowerInvariant();
                if (name is "host" or "connection" or "keep-alive" or "proxy-connection" or "transfer-encoding" or "upgrade")
                    continue;
                fields.Add(new HpackField(name, field.Value));
            }
        }

        // RFC 9218 §5: the priority field, as Chromium sends it on HTTP/2.
        if (request.Priority is { } priority)
            fields.Add(new HpackField("priority", priority));

        return fields;
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_block;

    /// <summary>The request's field block, in a buffer of the calling thread's that is valid until its next call.</summary>
    private ArrayBufferWriter<byte> EncodeBlock(List<HpackField> fields)
    {
        var block = t_block ??= new ArrayBufferWriter<byte>(1024);
        block.ResetWrittenCount();
        _encoder.Encode(fields, block);
        return block;
    }

    /// <summary>An HTTP/2 stream or connection error as the transaction runner reads errors: its text, its kind.</summary>
    private static HttpProtocolException Mapped(Exception error, Http2Stream stream) => error switch
    {
        HttpProtocolException already => already,
        Http2StreamException e => new HttpProtocolException(e.Kind switch
        {
            ErrorKind.Limit => ResponseRejection.BodyTooLarge,
            ErrorKind.Reset => ResponseRejection.Http2StreamReset,
            _ => ResponseRejection.Http2ProtocolError,
        }, e.Message, e) { BodyBytesSoFar = stream.BodyBytes },
        Http2ProtocolException e => new HttpProtocolException(e.Kind switch
        {
            ErrorKind.Reset => ResponseRejection.ConnectionFailed,
            ErrorKind.Limit => ResponseRejection.HeaderSectionTooLarge,
            _ => ResponseRejection.Http2ProtocolError,
        }, e.Message, e) { BodyBytesSoFar = stream.BodyBytes },
        _ => new HttpProtocolException(ResponseRejection.ConnectionFailed, error.Message, error),
    };

    private static HttpProtocolException Unanswered(string why) =>
        new(ResponseRejection.ClosedBeforeResponse, $"connection closed before any response byte: {why}");

    /// <summary>The connection's error when a request gave up before the server's SETTINGS ever came.</summary>
    public const string NoSettingsText = "http2: no SETTINGS from the server before the request gave up (§3.4)";

    // ---- the pool's questions, under its lock ----

    public override LeaseTerms Grant()
    {
        // The pool grants a stream only while one is free under the limit it knows; a limit lowered later leaves the
        // streams already granted running (§5.1.2), which is not this.
        if (ActiveExchanges > StreamLimit)
            _overGranted ??= $"was granted stream {ActiveExchanges} of SETTINGS_MAX_CONCURRENT_STREAMS {StreamLimit}";
        return new(LastRequest: false, default);
    }

    public override void Ungrant(LeaseTerms terms)
    {
    }

    public override void Learn(ExchangeResponse? response, CloseReason? failure)
    {
        if (_goingAway || _failure is not null)
            MarkNotReusable(CloseReason.ServerClose, _goingAway ? "the server sent GOAWAY" : _failure!.Message);
    }

    /// <summary>Streams are the point: any request takes a stream while one is free under the server's limit.</summary>
    public override bool TakesAnother(LeaseKind kind, LoadOptions options) =>
        kind != LeaseKind.NewOnly && Reusable && !_goingAway && _failure is null && ActiveExchanges < StreamLimit;

    public override IdleState CheckIdle() => IsClosed || _reading.IsCompleted || _goingAway ? IdleState.Closed : IdleState.Usable;

    public override CloseReason? ExpiredWhileIdle(long now) => null;

    public override void WatchWhileIdle()
    {
    }

    public override string? BrokenInvariant(LoadOptions options) => _overGranted;

    protected override async Task CloseGracefullyAsync(CancellationToken deadline)
    {
        // §6.8: GOAWAY (NO_ERROR) says this side starts no more streams; then the send side closes.
        await TryWriteAsync(w => FrameWriter.WriteGoAway(w, 0, Http2ErrorCode.NoError)).ConfigureAwait(false);
        Transport.Socket.Shutdown(SocketShutdown.Send);
        await _reading.WaitAsync(deadline).ConfigureAwait(false);
    }
}
