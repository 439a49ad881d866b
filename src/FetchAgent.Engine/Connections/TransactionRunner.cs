using FetchAgent.Engine.Http1;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Navigation;


namespace FetchAgent.Engine.Connections;

/// <summary>
/// Runs one HTTP transaction on the pool: wait for a connection, open one if that is the lease,
/// send, read, give the connection back. A request that fails on a reused connection before any
/// response byte is retried once on a new connection (RFC 9112 §9.3.1; GET and HEAD only).
/// </summary>
public sealed class TransactionRunner
{
    private readonly ConnectionPool _pool;

    public TransactionRunner(ConnectionPool pool) => _pool = pool;

    /// <param name="pageCancellation">Stops the transaction: the page load's deadline or its cancellation.</param>
    /// <param name="pageEnd">The page's end (its deadline, or a cancel): a transaction it catches ends with the page's reason.</param>
    public async Task<TransactionResult> RunAsync(ExchangeRequest request, long issued, CancellationToken pageCancellation, IPageEnd? pageEnd = null)
    {
        var options = _pool.Options;
        var clock = _pool.Clock;
        var stamps = new TransactionTimestamps { Issued = issued };
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(options.ObjectTimeoutMs), clock.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(pageCancellation, timeout.Token);
        var gate = _pool.SerialGate;
        var gated = false;
        try
        {
            // Held by the page's scheduler before the pool sees the request: queueing, so blocked time.
            if (request.Admission is { } admission)
                await admission(linked.Token).ConfigureAwait(false);
            if (gate is not null)
            {
                await gate.WaitAsync(linked.Token).ConfigureAwait(false);
                gated = true;
            }

            var result = await AttemptAsync(request, stamps, retries: 0, linked.Token).ConfigureAwait(false);
            if (gated && result.Connection is { } used)
                await used.Closed.WaitAsync(linked.Token).ConfigureAwait(false); // serial: the next object starts once this connection is gone
            return result;
        }
        catch (OperationCanceledException) when (pageEnd?.Token.IsCancellationRequested == true)
        {
            stamps.End = clock.Now();
            return Failed(stamps, null, false, 0, pageEnd.ErrorText, pageEnd.ErrorKind);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !pageCancellation.IsCancellationRequested)
        {
            stamps.End = clock.Now();
            return Failed(stamps, null, false, 0, TimeoutText(stamps, options.ObjectTimeoutMs), ErrorKind.Timeout);
        }
        finally
        {
            if (gated)
                gate!.Release();
        }
    }

    /// <param name="retryLease">For a retry: the lease the pool queued for it when the failed attempt gave its connection back.</param>
    private async Task<TransactionResult> AttemptAsync(
        ExchangeRequest request, TransactionTimestamps stamps, int retries, CancellationToken cancellationToken, ValueTask<Lease>? retryLease = null)
    {
        var clock = _pool.Clock;
        var origin = _pool.RouteFor(request);
        var pool = _pool.For(origin);
        var kind = retries > 0 ? LeaseKind.NewOnly
            : request.IsIdempotent && _pool.Options.Strategy == ConnectionStrategy.Pipelined ? LeaseKind.MayShare
            : LeaseKind.Any;
        var lease = retryLease is { } queued
            ? await queued.ConfigureAwait(false)
            : await pool.AcquireAsync(request, kind, cancellationToken).ConfigureAwait(false);
        // Queueing ended when the pool decided, not when this continuation got to run.
        stamps.Acquired = Math.Max(lease.GrantedAt, stamps.Issued);
        var reused = lease.Reused;
        stamps.ReusedThroughProxy = reused && origin.Via is not null;
        PooledConnection connection;
        if (lease.MustOpen)
        {
            try
            {
                connection = await _pool.OpenAsync(origin, cancellationToken).ConfigureAwait(false);
                stamps.Attempt = connection.Transport.Attempt;
                lease = pool.Attach(connection, lease.GrantedAt, request);
            }
            catch (NavigationException e)
            {
                pool.ReleaseSlot();
                stamps.Attempt = e.Attempt;
                stamps.End = e.Attempt?.FailedAt ?? clock.Now();
                var failedId = e.Attempt is { } attempt ? _pool.RecordFailedAttempt(origin, attempt) : null;
                return Failed(stamps, null, false, retries, e.Message, e.Kind, connectionId: failedId);
            }
            catch
            {
                pool.ReleaseSlot();
                throw;
            }
        }
        else
        {
            connection = lease.Connection!;
        }

        ExchangeResponse response;
        try
        {
            response = await connection.ExchangeAsync(request, lease, _pool.Options.MaxBodyBytes, stamps, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpProtocolException e) when (e.Reason == ResponseRejection.ClosedBeforeResponse && reused && retries == 0 && request.IsIdempotent)
        {
            // The server closed an idle (or pipelined-on) connection under us: not the request's fault.
            var queuedRetry = pool.ReleaseForRetryAsync(connection, request, clock.Now(), cancellationToken);
            stamps.ResetForRetry();
            return await AttemptAsync(request, stamps, retries + 1, cancellationToken, queuedRetry).ConfigureAwait(false);
        }
        catch (HttpProtocolException e)
        {
            stamps.End = clock.Now();
            pool.Release(connection, null, e.Reason == ResponseRejection.ClosedBeforeResponse ? CloseReason.ServerClose : CloseReason.Error, stamps.End, e.Message, e.Kind);
            return Failed(stamps, connection, reused, retries, e.Message, e.Kind, e.BodyBytesSoFar);
        }
        catch (IOException e)
        {
            stamps.End = clock.Now();
            pool.Release(connection, null, CloseReason.Error, stamps.End, $"connection error: {e.Message}", ErrorKind.Reset);
            return Failed(stamps, connection, reused, retries, $"connection error: {e.Message}", ErrorKind.Reset);
        }
        catch
        {
            pool.Release(connection, null, CloseReason.Error, clock.Now());
            throw;
        }

        // The object ends at its last byte read; giving the connection back is the pool's bookkeeping, not receive time.
        stamps.End = response.Body.LastByteTimestamp;
        // Read now, while the connection is still this exchange's: after the release the next request may use it.
        var tcpInfo = TcpInfoReader.Read(connection.Transport.Socket);
        pool.Release(connection, response, null, stamps.End);
        if (response.Head.StatusCode == 407 && connection.Origin.IsForwarding && connection.Transport.Proxy is { } hop
            && hop.Authentication.Answer(response.Head.Headers.Select(h => (h.Name, h.Value)), stamps.RequestHeaders.Any(h => h.Name == ProxyAuthentication.FieldName)))
        {
            // RFC 9110 §15.5.8: the proxy asked for credentials the page has; the same request once more, now carrying them.
            stamps.ResetForRetry();
            return await AttemptAsync(request, stamps, retries, cancellationToken).ConfigureAwait(false);
        }
        return new TransactionResult
        {
            Connection = connection,
            Timestamps = stamps,
            ConnectionId = connection.Id,
            ReusedConnection = reused,
            Retries = retries,
            Head = response.Head,
            Body = response.Body,
            TcpInfo = tcpInfo,
        };
    }

    private static TransactionResult Failed(
        TransactionTimestamps stamps, PooledConnection? connection, bool reused, int retries, string error, ErrorKind kind, long partialBody = 0, int? connectionId = null) =>
        new()
        {
            Connection = connection,
            Timestamps = stamps,
            ConnectionId = connectionId ?? connection?.Id,
            ReusedConnection = reused,
            Retries = retries,
            Head = stamps.Head,
            PartialBodyBytes = partialBody,
            Error = error,
            ErrorKind = kind,
        };

    /// <summary>
    /// A reused connection through a proxy that never answers is the chapter's dumb proxy (§4.5.6): it passed on a
    /// <c>Connection: keep-alive</c> it did not understand and waits for the origin to close, not for our next request.
    /// </summary>
    public const string DumbProxyText = "timeout: no response on a reused connection through the proxy; a proxy that does not understand keep-alive?";

    private static string TimeoutText(TransactionTimestamps stamps, int timeoutMs) =>
        stamps.FirstByte is not null ? $"timeout: body incomplete after {timeoutMs} ms"
        : stamps.NoServerPreface ? $"timeout: no SETTINGS from the server in {timeoutMs} ms (RFC 9113 §3.4)"
        : stamps.ReusedThroughProxy && stamps.SendEnd is not null ? DumbProxyText
        : $"timeout: no response in {timeoutMs} ms";
}
