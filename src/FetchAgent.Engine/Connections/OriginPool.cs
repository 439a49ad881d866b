using FetchAgent.Engine.Navigation;
using FetchAgent.Engine.Timeline;

namespace FetchAgent.Engine.Connections;

/// <summary>
/// The bounded pool of one origin: at most N connections open at once, idle ones on a stack,
/// waiters in a FIFO queue, and a freed connection (or slot) handed straight to the oldest waiter.
/// </summary>
internal sealed class OriginPool
{
    private readonly object _sync = new();
    private readonly List<PersistentConnection> _open = [];
    private readonly Stack<PersistentConnection> _idle = new();
    private readonly Queue<TaskCompletionSource<Lease>> _waiters = new();
    private readonly LoadOptions _options;
    private readonly PageClock _clock;
    private readonly Action<PersistentConnection, CloseReason, bool> _close;
    private int _slots;

    public OriginPool(Origin origin, LoadOptions options, PageClock clock, Action<PersistentConnection, CloseReason, bool> close)
    {
        Origin = origin;
        _options = options;
        _clock = clock;
        _close = close;
    }

    public Origin Origin { get; }

    private bool Reuses => _options.Strategy is ConnectionStrategy.Persistent or ConnectionStrategy.Pipelined;

    /// <summary>A connection for the request, or a slot to open one; waits in FIFO order when all N are busy.</summary>
    public async ValueTask<Lease> AcquireAsync(ExchangeRequest request, bool mayPipeline, CancellationToken cancellationToken)
    {
        TaskCompletionSource<Lease> waiter;
        lock (_sync)
        {
            if (TryLease(request, mayPipeline) is { } lease)
                return lease;
            waiter = new TaskCompletionSource<Lease>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue(waiter);
        }

        using (cancellationToken.UnsafeRegister(static state => ((TaskCompletionSource<Lease>)state!).TrySetCanceled(), waiter))
        {
            try
            {
                return await waiter.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw;
            }
        }
    }

    private Lease? TryLease(ExchangeRequest request, bool mayPipeline)
    {
        if (Reuses && PopReusableIdle() is { } idle)
            return Assign(idle);
        if (_slots < _options.MaxConnectionsPerHost)
        {
            _slots++;
            return Lease.OpenNew;
        }

        if (mayPipeline && PipelineCandidate(request) is { } busy)
            return Assign(busy);
        return null;
    }

    private PersistentConnection? PopReusableIdle()
    {
        var now = _clock.Now();
        while (_idle.TryPop(out var connection))
        {
            if (connection.KeepAliveExpired(now))
                Retire(connection, CloseReason.KeepAliveTimeout, graceful: true);
            else if (connection.LooksClosedByServer())
                Retire(connection, CloseReason.ServerClose, graceful: false);
            else
                return connection;
        }

        return null;
    }

    /// <summary>The least busy connection that may take one more request in its pipeline.</summary>
    private PersistentConnection? PipelineCandidate(ExchangeRequest request)
    {
        if (_options.Strategy != ConnectionStrategy.Pipelined || !request.IsIdempotent)
            return null;
        PersistentConnection? best = null;
        foreach (var connection in _open)
        {
            if (connection.Reusable && connection.PipelineReady && connection.InFlight < _options.PipelineDepth
                && connection.SendBudget is null or > 0 && (best is null || connection.InFlight < best.InFlight))
                best = connection;
        }

        return best;
    }

    private static Lease Assign(PersistentConnection connection)
    {
        connection.InFlight++;
        connection.RequestsAssigned++;
        if (connection.SendBudget is { } budget)
        {
            connection.SendBudget = budget - 1;
            // The server's last allowed request: it says Connection: close, and the connection ends after it.
            if (budget == 1)
                MarkNotReusable(connection, CloseReason.KeepAliveMax);
        }

        return new Lease(connection);
    }

    private static void Unassign(PersistentConnection connection)
    {
        connection.InFlight--;
        connection.RequestsAssigned--;
        if (connection.SendBudget is { } budget)
        {
            connection.SendBudget = budget + 1;
            if (budget == 0 && connection.PendingCloseReason == CloseReason.KeepAliveMax)
                connection.Reusable = true;
        }
    }

    /// <summary>A slot lease became a connection: it carries the request that opened it.</summary>
    public PersistentConnection Attach(PersistentConnection connection)
    {
        lock (_sync)
        {
            _open.Add(connection);
            connection.InFlight = 1;
            connection.RequestsAssigned = 1;
            if (!Reuses)
            {
                connection.Reusable = false;
                connection.PendingCloseReason = CloseReason.ClientClose;
            }
        }

        return connection;
    }

    /// <summary>Opening failed: the slot goes to the oldest waiter, who will try to open its own.</summary>
    public void ReleaseSlot()
    {
        lock (_sync)
        {
            _slots--;
            GrantSlotToWaiter();
        }
    }

    /// <summary>Whether this request should tell the server it is the connection's last (RFC 9112 §9.6).</summary>
    public bool IsLastRequest(PersistentConnection connection)
    {
        lock (_sync)
            return !connection.Reusable || connection.SendBudget == 0;
    }

    /// <summary>The response is read (or failed): reuse, hand on, or close the connection.</summary>
    public void Release(PersistentConnection connection, ExchangeResponse? response, CloseReason? failure)
    {
        lock (_sync)
        {
            connection.InFlight--;
            Learn(connection, response, failure);
            if (connection.Reusable)
                HandOn(connection);
            else if (connection.InFlight == 0)
                Retire(connection, connection.PendingCloseReason, graceful: failure is null);
        }
    }

    private void Learn(PersistentConnection connection, ExchangeResponse? response, CloseReason? failure)
    {
        if (failure is { } reason)
        {
            MarkNotReusable(connection, reason);
            connection.PipelineReady = false;
            return;
        }

        if (response is null)
            return;
        connection.Record.Requests++;
        if (response.KeepAlive.TimeoutSeconds is not null || response.KeepAlive.MaxRequests is not null)
            connection.Record.KeepAlive = new KeepAliveRecord(response.KeepAlive.TimeoutSeconds, response.KeepAlive.MaxRequests);
        if (response.KeepAlive.TimeoutSeconds is { } timeout)
            connection.KeepAliveTimeout = TimeSpan.FromSeconds(timeout);
        if (response.KeepAlive.MaxRequests is { } max)
            connection.SendBudget = Math.Max(0, max - connection.InFlight); // max counts requests after this response

        if (!response.Persistent)
            MarkNotReusable(connection, CloseReason.ServerClose);
        else if (connection.SendBudget == 0)
            MarkNotReusable(connection, CloseReason.KeepAliveMax);
        else if (response.Head.Major == 1 && response.Head.Minor >= 1)
            connection.PipelineReady = true;
    }

    private static void MarkNotReusable(PersistentConnection connection, CloseReason reason)
    {
        if (!connection.Reusable)
            return;
        connection.Reusable = false;
        connection.PendingCloseReason = reason;
    }

    private void HandOn(PersistentConnection connection)
    {
        while (connection.InFlight == 0 || (PipelineCandidateFor(connection) && connection.InFlight < _options.PipelineDepth))
        {
            if (!TryDequeueWaiter(out var waiter))
                break;
            Assign(connection);
            if (!waiter.TrySetResult(new Lease(connection)))
                Unassign(connection);
            if (!connection.Reusable)
                break;
        }

        if (connection.InFlight == 0 && connection.Reusable)
        {
            connection.IdleSince = _clock.Now();
            _idle.Push(connection);
        }
    }

    private bool PipelineCandidateFor(PersistentConnection connection) =>
        _options.Strategy == ConnectionStrategy.Pipelined && connection.PipelineReady && connection.SendBudget is null or > 0;

    private bool TryDequeueWaiter(out TaskCompletionSource<Lease> waiter)
    {
        while (_waiters.TryDequeue(out waiter!))
        {
            if (!waiter.Task.IsCompleted)
                return true;
        }

        return false;
    }

    private void GrantSlotToWaiter()
    {
        while (_slots < _options.MaxConnectionsPerHost && TryDequeueWaiter(out var waiter))
        {
            _slots++;
            if (!waiter.TrySetResult(Lease.OpenNew))
                _slots--;
        }
    }

    private void Retire(PersistentConnection connection, CloseReason reason, bool graceful)
    {
        _open.Remove(connection);
        _slots--;
        _close(connection, reason, graceful);
        GrantSlotToWaiter();
    }

    /// <summary>Every connection still open, for the close at the end of the page load.</summary>
    public List<PersistentConnection> TakeAll()
    {
        lock (_sync)
        {
            var all = _open.ToList();
            _open.Clear();
            _idle.Clear();
            return all;
        }
    }
}
