using System.Buffers;
using System.Text;
using FetchAgent.Engine.Http1;
using FetchAgent.Engine.Http2;
using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Connections;

internal sealed partial class Http2Connection
{
    /// <summary>The connection window this side grants: the initial 65,535 plus the WINDOW_UPDATE sent after SETTINGS.</summary>
    private const long ConnectionReceiveWindow = PeerSettings.DefaultWindowSize + (long)ConnectionWindowIncrement;

    private long _connectionReceived;
    private long _connectionSendWindow = PeerSettings.DefaultWindowSize;
    private readonly Dictionary<int, long> _streamSendWindows = [];
    private int _lastPeerStream;

    /// <summary>The reader loop: preface out, then every frame in until the connection ends (RFC 9113 §3.4, §4).</summary>
    private async Task RunAsync()
    {
        Exception failure;
        try
        {
            await WriteAsync(w =>
            {
                w.Write(FrameWriter.Preface);
                FrameWriter.WriteSettings(w,
                [
                    (SettingsParameter.HeaderTableSize, HeaderTableSize),
                    (SettingsParameter.EnablePush, 0),
                    (SettingsParameter.InitialWindowSize, StreamWindow),
                    (SettingsParameter.MaxHeaderListSize, 256 * 1024),
                ]);
                FrameWriter.WriteWindowUpdate(w, 0, ConnectionWindowIncrement);
            }).ConfigureAwait(false);

            while (await _reader.ReadAsync(CancellationToken.None).ConfigureAwait(false) is { } frame)
            {
                // §3.4: the server's connection preface is a SETTINGS frame, the first frame it sends; anything else
                // first is an invalid preface, a connection error of type PROTOCOL_ERROR.
                if (!_settingsReceived && (frame.Type != FrameType.Settings || frame.Has(FrameFlags.Ack)))
                    throw new Http2ProtocolException(Http2ErrorCode.ProtocolError,
                        $"http2: the server's first frame is {Words(frame)}, not its SETTINGS (§3.4)");
                Dispatch(frame);
            }

            failure = new Http2ProtocolException(Http2ErrorCode.NoError,
                _goingAway ? "http2: the server closed the connection after GOAWAY" : "http2: the server closed the connection", ErrorKind.Reset);
        }
        catch (Http2ProtocolException e)
        {
            failure = e;
            // §5.4.1: a connection error sends GOAWAY with the code, then closes.
            if (e.Code != Http2ErrorCode.NoError && e.Kind != ErrorKind.Reset)
                await TryWriteAsync(w => FrameWriter.WriteGoAway(w, _lastPeerStream, e.Code, Encoding.ASCII.GetBytes(e.Message))).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            failure = new Http2ProtocolException(Http2ErrorCode.InternalError, $"http2: connection error: {e.Message}", ErrorKind.Reset, e);
        }

        _failure = failure;
        // A full fence between noting the failure and reading the streams: an exchange registers its stream, then reads
        // the failure; one of the two always sees the other (a store may not pass a later load here).
        Interlocked.MemoryBarrier();
        foreach (var stream in _streams.Values)
            stream.Fail(failure);
    }

    private void Dispatch(Frame frame)
    {
        switch (frame.Type)
        {
            case FrameType.Settings:
                OnSettings(frame);
                break;
            case FrameType.Ping when !frame.Has(FrameFlags.Ack):
                // §6.7: a PING without ACK is answered with the same eight bytes and ACK.
                var opaque = frame.Payload.ToArray();
                Post(w => FrameWriter.WritePing(w, opaque, ack: true));
                break;
            case FrameType.GoAway:
                OnGoAway(frame.Payload.Span);
                break;
            case FrameType.WindowUpdate:
                OnWindowUpdate(frame);
                break;
            case FrameType.RstStream:
                OnRstStream(frame.StreamId, (Http2ErrorCode)FrameReader.ReadUInt32(frame.Payload.Span));
                break;
            case FrameType.Headers:
                OnHeaders(frame);
                break;
            case FrameType.Data:
                OnData(frame);
                break;
            // PRIORITY (deprecated, §5.3.2), PING ACKs and unknown types (§4.1, §5.5) are ignored.
        }
    }

    private void OnSettings(Frame frame)
    {
        if (frame.Has(FrameFlags.Ack))
            return;
        var delta = PeerSettings.Apply(frame.Payload.Span);
        // §6.9.2: a new SETTINGS_INITIAL_WINDOW_SIZE moves every open stream's send window by the difference.
        foreach (var id in _streamSendWindows.Keys.ToList())
        {
            var window = _streamSendWindows[id] + delta;
            if (window > int.MaxValue)
                throw new Http2ProtocolException(Http2ErrorCode.FlowControlError, $"http2: SETTINGS_INITIAL_WINDOW_SIZE overflows the window of stream {id} (§6.9.2)");
            _streamSendWindows[id] = window;
        }

        Record.PeerSettings = new Dictionary<string, long>(PeerSettings.Received);
        _settingsReceived = true;
        if (PeerSettings.MaxConcurrentStreams is { } limit)
            OnStreamLimit((int)Math.Min(limit, DefaultMaxConcurrentStreams));
        Post(FrameWriter.WriteSettingsAck);
    }

    /// <summary>
    /// §5.1.2: the server's SETTINGS_MAX_CONCURRENT_STREAMS bounds the streams this side opens from now on; those
    /// already open run to their end. The pool learns it under its own lock (a lower limit makes later requests wait
    /// as <c>blocked</c>, a higher one hands the connection on to them).
    /// </summary>
    private void OnStreamLimit(int limit)
    {
        Action<int>? changed;
        lock (_limitSync)
        {
            _peerStreamLimit = limit;
            changed = _streamLimitChanged;
        }

        changed?.Invoke(limit);
    }

    private static string Words(Frame frame) =>
        frame.Type == FrameType.Settings ? "a SETTINGS acknowledgement" : FrameReader.Name(frame.Type);

    private void OnGoAway(ReadOnlySpan<byte> payload)
    {
        var lastStreamId = (int)(FrameReader.ReadUInt32(payload) & 0x7fffffff);
        var code = (Http2ErrorCode)FrameReader.ReadUInt32(payload[4..]);
        _goingAway = true;
        Interlocked.MemoryBarrier(); // as for a failure: the streams are read after the flag is visible
        Record.GoAway = $"last-stream-id {lastStreamId}, {Http2ErrorCodeNames.Name(code)}";
        // §6.8: streams above the last-stream-id were never processed; they may be retried on a new connection.
        foreach (var stream in _streams.Values.Where(s => s.Id > lastStreamId))
            stream.Fail(Unanswered($"GOAWAY with last-stream-id {lastStreamId} ({Http2ErrorCodeNames.Name(code)})"));
    }

    private void OnWindowUpdate(Frame frame)
    {
        var increment = FrameReader.ReadUInt32(frame.Payload.Span) & 0x7fffffff;
        if (frame.StreamId == 0)
        {
            // §6.9: an increment of 0 on the connection, or a window above 2^31-1 (§6.9.1), is a connection error.
            if (increment == 0)
                throw new Http2ProtocolException(Http2ErrorCode.ProtocolError, "http2: a WINDOW_UPDATE of 0 on the connection (§6.9)");
            _connectionSendWindow += increment;
            if (_connectionSendWindow > int.MaxValue)
                throw new Http2ProtocolException(Http2ErrorCode.FlowControlError, $"http2: a WINDOW_UPDATE takes the connection window to {_connectionSendWindow}, above 2^31-1 (§6.9.1)");
            return;
        }

        if (!_streams.TryGetValue(frame.StreamId, out var stream))
            return;
        var window = (_streamSendWindows.TryGetValue(frame.StreamId, out var w) ? w : PeerSettings.InitialWindowSize) + increment;
        _streamSendWindows[frame.StreamId] = window;
        if (increment == 0)
            Reset(stream, new Http2StreamException(Http2ErrorCode.ProtocolError, $"http2: a WINDOW_UPDATE of 0 on stream {stream.Id} (§6.9)", ErrorKind.Protocol));
        else if (window > int.MaxValue)
            Reset(stream, new Http2StreamException(Http2ErrorCode.FlowControlError, $"http2: a WINDOW_UPDATE takes the window of stream {stream.Id} to {window}, above 2^31-1 (§6.9.1)", ErrorKind.Protocol));
    }

    private void OnRstStream(int streamId, Http2ErrorCode code)
    {
        if (!_streams.TryRemove(streamId, out var stream))
            return;
        _streamSendWindows.Remove(streamId);
        // §8.7: REFUSED_STREAM says the server did nothing with the request, so it may be retried.
        stream.Fail(code == Http2ErrorCode.RefusedStream
            ? Unanswered($"the server refused stream {streamId} (REFUSED_STREAM)")
            : new Http2StreamException(code, $"http2: the server reset stream {streamId} ({Http2ErrorCodeNames.Name(code)})", ErrorKind.Reset));
    }

    private void OnHeaders(Frame frame)
    {
        // §4.3: every field block is decoded, whatever its stream's state, so the dynamic table stays in step.
        var fields = _decoder.Decode(frame.Payload.Span);
        _lastPeerStream = Math.Max(_lastPeerStream, frame.StreamId);
        if (!_streams.TryGetValue(frame.StreamId, out var stream))
            return;
        try
        {
            stream.OnHeaders(fields, frame.Payload.Length + FrameHeader.Size, Clock.Now(), frame.Has(FrameFlags.EndStream));
        }
        catch (Http2StreamException e)
        {
            Reset(stream, e);
        }
    }

    private void OnData(Frame frame)
    {
        var at = Clock.Now();
        // §6.9.1: the whole frame payload, padding included, counts against both windows.
        var counted = frame.Header.Length;
        _connectionReceived += counted;
        if (_connectionReceived > ConnectionReceiveWindow)
            throw new Http2ProtocolException(Http2ErrorCode.FlowControlError, $"http2: the server sent {_connectionReceived} bytes of DATA into a connection window of {ConnectionReceiveWindow} (§6.9.1)");
        _connectionUnacknowledged += counted;
        if (_streams.TryGetValue(frame.StreamId, out var stream))
        {
            stream.Unacknowledged += counted;
            stream.Received += counted;
            try
            {
                if (stream.Received > StreamWindow + (long)stream.Acknowledged)
                    throw new Http2StreamException(Http2ErrorCode.FlowControlError, $"http2: the server overran the window of stream {stream.Id} (§6.9.1)", ErrorKind.Protocol);
                stream.OnData(frame.Payload.Span, at, frame.Has(FrameFlags.EndStream));
            }
            catch (Http2StreamException e)
            {
                Reset(stream, e);
            }

            // §6.9: the window is given back as the data is consumed, in halves so updates stay few.
            if (!stream.Ended && stream.Unacknowledged >= StreamWindow / 2)
            {
                var increment = stream.Unacknowledged;
                stream.Acknowledged += increment;
                stream.Unacknowledged = 0;
                Post(w => FrameWriter.WriteWindowUpdate(w, stream.Id, increment));
            }
        }

        if (_connectionUnacknowledged >= ConnectionReceiveWindow / 2)
        {
            var increment = _connectionUnacknowledged;
            _connectionReceived -= increment;
            _connectionUnacknowledged = 0;
            Post(w => FrameWriter.WriteWindowUpdate(w, 0, increment));
        }
    }

    /// <summary>A stream error (§5.4.2): RST_STREAM to the server, the error to the exchange; the connection lives on.</summary>
    private void Reset(Http2Stream stream, Http2StreamException error)
    {
        if (!_streams.TryRemove(stream.Id, out _))
            return;
        stream.Fail(error);
        Post(w => FrameWriter.WriteRstStream(w, stream.Id, error.Code));
    }
}
