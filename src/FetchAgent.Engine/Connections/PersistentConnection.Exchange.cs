using FetchAgent.Engine.Http1;

namespace FetchAgent.Engine.Connections;

internal sealed partial class PersistentConnection
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private Task _previousResponse = Task.CompletedTask;
    private volatile bool _noMoreResponses;

    /// <summary>
    /// Writes the request, then reads its response once every earlier request on this connection
    /// has had its own: responses come back in request order (RFC 9112 §9.3.2).
    /// </summary>
    public async Task<ExchangeResponse> ExchangeAsync(
        ExchangeRequest request, bool closeAfter, long maxBodyBytes, TransactionTimestamps stamps, CancellationToken cancellationToken)
    {
        var headers = RequestWriter.Headers(request.Url, request.Accept, closeAfter, request.ExtraHeaders);
        stamps.RequestHeaders = headers;
        var bytes = RequestWriter.Format(request.Method, request.Url, headers);
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task previous;

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            previous = _previousResponse;
            _previousResponse = answered.Task;
            if (_noMoreResponses)
                throw Unanswered();
            await Transport.Stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            await Transport.Stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            stamps.SendEnd = _clock.Now();
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
        }

        try
        {
            await previous.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (_noMoreResponses)
                throw Unanswered();
            var head = await Reader.ReadHeadAsync(cancellationToken).ConfigureAwait(false);
            stamps.FirstByte = head.FirstByteTimestamp;
            stamps.Head = head;
            var body = await Reader.ReadBodyAsync(head, request.Method, new BodyReadOptions(maxBodyBytes, request.KeepContent) { Observer = request.BodyObserver }, cancellationToken).ConfigureAwait(false);
            stamps.LastByte = body.LastByteTimestamp;
            var persistent = ConnectionPersistence.IsPersistent(head, body.Framing);
            if (!persistent || closeAfter)
                _noMoreResponses = true;
            return new ExchangeResponse(head, body, persistent, KeepAliveParameters.From(head));
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

/// <summary>A response read whole, with what it says about the connection.</summary>
internal sealed record ExchangeResponse(ResponseHead Head, ResponseBody Body, bool Persistent, KeepAliveParameters KeepAlive);
