using FetchAgent.Engine.Http1;
using FetchAgent.Engine.Navigation;


namespace FetchAgent.Engine.Connections;

internal sealed partial class PersistentConnection
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private Task _previousResponse = Task.CompletedTask;
    private volatile bool _noMoreResponses;

    /// <summary>Responses read on this connection; they are read one after another, in request order.</summary>
    private int _responsesRead;

    /// <summary>
    /// Writes the request, then reads its response once every earlier request on this connection
    /// has had its own: responses come back in request order (RFC 9112 §9.3.2).
    /// </summary>
    public override async Task<ExchangeResponse> ExchangeAsync(
        ExchangeRequest request, Lease lease, long maxBodyBytes, TransactionTimestamps stamps, CancellationToken cancellationToken)
    {
        var closeAfter = lease.LastRequest;
        // Through a proxy without a tunnel the request names its origin in absolute-form (RFC 9112 §3.2.2) and carries
        // the fields meant for the proxy itself (Proxy-Authorization once challenged, Proxy-Connection when asked for).
        var forwarding = Origin.IsForwarding && Transport.Proxy is not null;
        IReadOnlyList<HeaderField>? extra = request.ExtraHeaders;
        if (forwarding)
            extra = [.. extra ?? [], .. Transport.Proxy!.RequestFields().Select(f => new HeaderField(f.Name, f.Value))];
        var headers = RequestWriter.Headers(request.Url, request.Accept, closeAfter, extra);
        stamps.RequestHeaders = headers;
        var bytes = RequestWriter.Format(request.Method, request.Url, headers, absoluteForm: forwarding);
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task previous;

        try
        {
            // Written in the order the pool handed out the connection (the lease's turn), not in the order tasks run.
            await lease.Turn.Previous.WaitAsync(cancellationToken).ConfigureAwait(false);
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _noMoreResponses = true;
            answered.TrySetResult();
            lease.Turn.Written.TrySetResult();
            throw;
        }

        try
        {
            previous = _previousResponse;
            _previousResponse = answered.Task;
            if (_noMoreResponses)
                throw Unanswered();
            if (request.SplitWrite)
            {
                // The chapter's small segments: the request line on its own, then the fields. With Nagle on, the second
                // waits for the ACK of the first, which the server delays (about 40 ms on Linux) for want of a reply.
                var lineEnd = bytes.AsSpan().IndexOf("\r\n"u8) + 2;
                await Transport.Stream.WriteAsync(bytes.AsMemory(0, lineEnd), cancellationToken).ConfigureAwait(false);
                await Transport.Stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                await Transport.Stream.WriteAsync(bytes.AsMemory(lineEnd), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await Transport.Stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            }

            await Transport.Stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            stamps.SendEnd = Clock.Now();
        }
        catch (IOException e) when (e is not HttpProtocolException)
        {
            // The server closed the connection under us before reading the request: no response byte came.
            _noMoreResponses = true;
            answered.TrySetResult();
            throw new HttpProtocolException(ResponseRejection.ClosedBeforeResponse, "connection closed before any response byte", e);
        }
        catch
        {
            _noMoreResponses = true;
            answered.TrySetResult();
            throw;
        }
        finally
        {
            _writeLock.Release();
            lease.Turn.Written.TrySetResult();
        }

        try
        {
            await previous.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (_noMoreResponses)
                throw Unanswered();
            var head = await Reader.ReadHeadAsync(cancellationToken).ConfigureAwait(false);
            stamps.FirstByte = head.FirstByteTimestamp;
            stamps.Head = head;
            // RFC 9110 §7.8: a server must not switch to a protocol the request did not name in Upgrade, and ours
            // never sends one. After a 101 the bytes are no longer HTTP/1.1 (§15.2.2): fail and close, never reuse.
            if (head.StatusCode == 101)
            {
                throw new HttpProtocolException(ResponseRejection.UnrequestedUpgrade,
                    "101 Switching Protocols without an upgrade request: the connection is no longer HTTP/1.1");
            }

            var keep = !request.KeepContent ? 0 : request.KeepLimit is { } limit ? limit(head) : long.MaxValue;
            var options = new BodyReadOptions(maxBodyBytes, keep > 0) { MaxKeptBytes = Math.Max(keep, 0), Observer = request.BodyObserver };
            var body = await Reader.ReadBodyAsync(head, request.Method, options, cancellationToken).ConfigureAwait(false);
            stamps.LastByte = body.LastByteTimestamp;
            var persistent = ConnectionPersistence.IsPersistent(head, body.Framing);
            if (!persistent || closeAfter)
                _noMoreResponses = true;
            return new Http1Response(head, body, persistent, KeepAliveParameters.From(head), Interlocked.Increment(ref _responsesRead));
        }
        catch
        {
            // After a failure nothing later on this connection can be trusted to line up with its request.
            _noMoreResponses = true;
            throw;
        }
        finally
        {
            answered.TrySetResult();
        }
    }

    private static HttpProtocolException Unanswered() =>
        new(ResponseRejection.ClosedBeforeResponse, "connection closed before any response byte");
}

/// <summary>An HTTP/1.1 response read whole, with what it says about the connection (RFC 9112 §9.3).</summary>
/// <param name="Ordinal">Its place among the responses read on its connection, 1 for the first.</param>
internal sealed record Http1Response(ResponseHead Head, ResponseBody Body, bool Persistent, KeepAliveParameters KeepAlive, int Ordinal)
    : ExchangeResponse(Head, Body);
