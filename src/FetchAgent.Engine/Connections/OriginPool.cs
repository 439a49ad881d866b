using FetchAgent.Engine.Model;
using FetchAgent.Engine.Navigation;


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
    private readonly Queue<PoolWaiter> _retryWaiters = new();
    private readonly Queue<PoolWaiter> _waiters = new();
    private readonly LoadOptions _options;
    private readonly PageClock _clock;
    private readonly Func<PersistentConnection, CloseReason, bool, Task> _close;
    private int _slots;

    public OriginPool(Origin origin, LoadOptions options, PageClock clock, Func<PersistentConnection, CloseReason, bool, Task> close)
    {
        Origin = origin;
        _options = options;
        _clock = clock;
        _close = close;
    }

    public Origin Origin { get; }

    private bool Reuses => _options.Strategy is ConnectionStrategy.Persistent or ConnectionStrategy.Pipelined;

    /// <summary>A connection for the request, or a slot to open one; waits in FIFO order when all N are busy.</summary>
    public async ValueTask<Lease> AcquireAsync(LeaseKind kind, CancellationToken cancellationToken)
    {
        PoolWaiter waiter;
        lock (_sync)
        {
            if (TryLease(kind, _clock.Now()) is { } lease)
                return lease;
            waiter = new PoolWaiter(kind);
            // A retry already had its turn in the queue: it goes ahead of requests that have not.
            (kind == LeaseKind.NewOnly ? _retryWaiters : _waiters).Enqueue(waiter);
        }

        return await WaitAsync(waiter, cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask<Lease> WaitAsync(PoolWaiter waiter, CancellationToken cancellationToken)
    {
        using (cancellationToken.UnsafeRegister(static state => ((PoolWaiter)state!).Lease.TrySetCanceled(), waiter))
        {
            try
            {
                return await waiter.Lease.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw;
            }
        }
    }

    private Lease? TryLease(LeaseKind kind, long now)
    {
        if (Reuses && kind != LeaseKind.NewOnly && PopReusableIdle(now) is { } idle)
            return Assign(idle, now);
        if (_slots >= _options.MaxConnectionsPerHost && kind == LeaseKind.NewOnly && _idle.TryPop(out var spare))
        {
            // A retry needs a new connection: an idle one gives up its slot (free once it has closed).
            Retire(spare, CloseReason.Idle, graceful: true);
        }

        if (_slots < _options.MaxConnectionsPerHost)
        {
            _slots++;
            AssertInvariants();
            return Lease.OpenNew(now);
        }

        if (kind == LeaseKind.MayPipeline && PipelineCandidate() is { } busy)
            return Assign(busy, now);
        return null;
    }

    private PersistentConnection? PopReusableIdle(long now)
    {
        while (_idle.TryPop(out var connection))
        {
            if (connection.KeepAliveExpired(now))
                Retire(connection, CloseReason.KeepAliveTimeout, graceful: true);
            else if (!RetireIfOutOfStep(connection, "while idle"))
                return connection;
        }

        return null;
    }

    /// <summary>
    /// A connection with nothing in flight is about to carry a request (or rest): if the server closed it or sent bytes
    /// no request asked for, it is retired, never reused (RFC 9112 §6.3, last paragraph). True when retired.
    /// </summary>
    private bool RetireIfOutOfStep(PersistentConnection connection, string when)
    {
        switch (connection.CheckIdle())
        {
            case IdleState.Closed:
                MarkNotReusable(connection, CloseReason.ServerClose);
                Retire(connection, connection.PendingCloseReason, graceful: false);
                return true;
            case IdleState.UnexpectedData:
                if (MarkNotReusable(connection, CloseReason.Error))
                {
                    // RFC 9112 §6.3, last paragraph: such bytes are not a response; the connection broke the protocol.
                    connection.Record.Error = $"unexpected data {when}: bytes after a complete response that no request asked for";
                    connection.Record.ErrorKind = ErrorKind.Protocol;
                }
                Retire(connection, connection.PendingCloseReason, graceful: false);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The least busy connection that may take one more request in its pipeline.</summary>
    private PersistentConnection? PipelineCandidate()
    {
        PersistentConnection? best = null;
        foreach (var connection in _open)
        {
            if (CanPipeline(connection) && (best is null || connection.InFlight < best.InFlight))
                best = connection;
        }

        return best;
    }

    private bool CanPipeline(PersistentConnection connection) =>
        _options.Strategy == ConnectionStrategy.Pipelined && connection.Reusable && connection.PipelineReady
        && connection.InFlight < _options.PipelineDepth && connection.SendBudget is null or > 0;

    /// <summary>Gives the connection one more request; the lease says whether that request is its last.</summary>
    private static Lease Assign(PersistentConnection connection, long grantedAt)
    {
        connection.InFlight++;
        connection.Leased++;
        if (connection.SendBudget is { } budget)
        {
            connection.SendBudget = budget - 1;
            // The server's last allowed request: it says Connection: close, and the connection ends after it.
            if (budget == 1)
                MarkNotReusable(connection, CloseReason.KeepAliveMax);
        }

        return new Lease(connection, grantedAt, LastRequest: !connection.Reusable, connection.TakeWriteTurn());
    }

    private static void Unassign(PersistentConnection connection, WriteTurn turn)
    {
        connection.GiveBackWriteTurn(turn);
        connection.InFlight--;
        connection.Leased--;
        if (connection.SendBudget is { } budget)
        {
            connection.SendBudget = budget + 1;
            if (budget == 0 && connection.PendingCloseReason == CloseReason.KeepAliveMax)
                connection.Reusable = true;
        }
    }

    /// <summary>A slot lease became a connection: it carries the request that opened it, first in its write order.</summary>
    public Lease Attach(PersistentConnection connection, long grantedAt)
    {
        lock (_sync)
        {
            _open.Add(connection);
            connection.InFlight = 1;
            connection.Leased = 1;
            if (!Reuses)
            {
                connection.Reusable = false;
                connection.PendingCloseReason = CloseReason.ClientClose;
            }

            AssertInvariants();
            return new Lease(connection, grantedAt, LastRequest: !connection.Reusable, connection.TakeWriteTurn());
        }
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

    /// <summary>
    /// The response is read (or failed): reuse, hand on, or close the connection. <paramref name="freedAt"/> is when
    /// the connection became free: the response's last byte, or the failure.
    /// </summary>
    /// <param name="error">Why the exchange failed, recorded as the connection's error when that failure closes it.</param>
    public void Release(PersistentConnection connection, ExchangeResponse? response, CloseReason? failure, long freedAt, string? error = null, ErrorKind? errorKind = null)
    {
        lock (_sync)
            ReleaseLocked(connection, response, failure, freedAt, error, errorKind);
    }

    /// <summary>
    /// The server closed a reused connection under an idempotent request before any response byte: give the
    /// connection back and, in the same decision, put the request's retry at the head of the queue for a new
    /// connection (RFC 9112 §9.3.1). Deciding both under one lock means the slot the dead connection frees can only
    /// go to the retry, never to a request that has not had its turn yet.
    /// </summary>
    public ValueTask<Lease> ReleaseForRetryAsync(PersistentConnection connection, long freedAt, CancellationToken cancellationToken)
    {
        PoolWaiter waiter;
        lock (_sync)
        {
            ReleaseLocked(connection, null, CloseReason.ServerClose, freedAt, null, null);
            if (TryLease(LeaseKind.NewOnly, _clock.Now()) is { } lease)
                return ValueTask.FromResult(lease);
            waiter = new PoolWaiter(LeaseKind.NewOnly);
            _retryWaiters.Enqueue(waiter);
        }

        return WaitAsync(waiter, cancellationToken);
    }

    private void ReleaseLocked(PersistentConnection connection, ExchangeResponse? response, CloseReason? failure, long freedAt, string? error, ErrorKind? errorKind)
    {
        {
            connection.InFlight--;
            Learn(connection, response, failure, error, errorKind);
            // Every hand-on of a connection with nothing pipelined behind this response checks it first: bytes past
            // the response (a body longer than its Content-Length, data after a 204 or 304, more responses than
            // requests) are not the next request's response.
            if (connection.Reusable && connection.InFlight == 0 && RetireIfOutOfStep(connection, "after a response"))
            {
                AssertInvariants();
                return;
            }

            if (connection.Reusable)
                HandOn(connection, freedAt);
            else if (connection.InFlight == 0)
                Retire(connection, connection.PendingCloseReason, graceful: failure is null);
            AssertInvariants();
        }
    }

    private void Learn(PersistentConnection connection, ExchangeResponse? response, CloseReason? failure, string? error, ErrorKind? errorKind)
    {
        if (failure is { } reason)
        {
            if (MarkNotReusable(connection, reason) && reason == CloseReason.Error)
            {
                connection.Record.Error = error;
                connection.Record.ErrorKind = error is null ? null : errorKind ?? ErrorKind.Internal;
            }
            connection.PipelineReady = false;
            return;
        }

        if (response is null)
            return;
        connection.Record.Requests++;
        if (response.Ordinal > connection.LearnedUpTo)
        {
            // The newest word on the wire: an older pipelined response given back late must not undo it.
            connection.LearnedUpTo = response.Ordinal;
            if (response.KeepAlive.TimeoutSeconds is not null || response.KeepAlive.MaxRequests is not null)
                connection.Record.KeepAlive = new KeepAliveRecord(response.KeepAlive.TimeoutSeconds, response.KeepAlive.MaxRequests);
            if (response.KeepAlive.TimeoutSeconds is { } timeout)
                connection.KeepAliveTimeout = TimeSpan.FromSeconds(timeout);
            // max counts the requests allowed after this response; those already leased behind it spend it.
            if (response.KeepAlive.MaxRequests is { } max)
                connection.SendBudget = Math.Max(0, max - (connection.Leased - response.Ordinal));
        }

        if (!response.Persistent)
            MarkNotReusable(connection, CloseReason.ServerClose);
        else if (connection.SendBudget == 0)
            MarkNotReusable(connection, CloseReason.KeepAliveMax);
        else if (response.Head.Major == 1 && response.Head.Minor >= 1)
            connection.PipelineReady = true;
    }

    /// <summary>The first reason a connection stops being reusable is the one it closes with; true when it was this one.</summary>
    private static bool MarkNotReusable(PersistentConnection connection, CloseReason reason)
    {
        if (!connection.Reusable)
            return false;
        connection.Reusable = false;
        connection.PendingCloseReason = reason;
        return true;
    }

    /// <summary>A connection that may carry more: to the oldest waiter that takes it, else onto the idle stack.</summary>
    private void HandOn(PersistentConnection connection, long freedAt)
    {
        while (PeekWaiter() is { } waiter)
        {
            if (connection.InFlight == 0 && !waiter.TakesReused)
            {
                // The oldest waiter is a retry that needs a new connection: this one makes room for it.
                Retire(connection, CloseReason.Idle, graceful: true);
                return;
            }

            var fits = connection.InFlight == 0 ? waiter.TakesReused : waiter.MayPipeline && CanPipeline(connection);
            if (!fits)
                break;
            DequeueWaiter();
            var lease = Assign(connection, freedAt);
            if (!waiter.Lease.TrySetResult(lease))
                Unassign(connection, lease.Turn);
            if (!connection.Reusable)
                break;
        }

        if (connection.InFlight == 0 && connection.Reusable)
        {
            connection.IdleSince = freedAt;
            connection.Reader.StartReadAhead();
            _idle.Push(connection);
        }
    }

    private PoolWaiter? PeekWaiter()
    {
        foreach (var queue in (Queue<PoolWaiter>[])[_retryWaiters, _waiters])
        {
            while (queue.TryPeek(out var waiter))
            {
                if (waiter.IsLive)
                    return waiter;
                queue.Dequeue();
            }
        }

        return null;
    }

    private void DequeueWaiter()
    {
        if (!_retryWaiters.TryDequeue(out _))
            _waiters.Dequeue();
    }

    private void GrantSlotToWaiter()
    {
        while (_slots < _options.MaxConnectionsPerHost && PeekWaiter() is { } waiter)
        {
            DequeueWaiter();
            _slots++;
            if (!waiter.Lease.TrySetResult(Lease.OpenNew(_clock.Now())))
                _slots--;
        }

        AssertInvariants();
    }

    /// <summary>
    /// The pool's word, checked under its lock: never more than N slots, and every open connection holds one
    /// (a slot is freed only when its socket has closed, so slots may exceed the open list while one closes).
    /// Runs when <see cref="PoolInvariants"/> is on (the tests), costs one branch otherwise.
    /// </summary>
    private void AssertInvariants()
    {
        if (!PoolInvariants.Enabled)
            return;
        PoolInvariants.Check(Monitor.IsEntered(_sync), "pool state read outside its lock");
        PoolInvariants.Check(_slots >= 0 && _slots <= _options.MaxConnectionsPerHost, $"{Origin}: {_slots} slots taken of {_options.MaxConnectionsPerHost}");
        PoolInvariants.Check(_open.Count <= _slots, $"{Origin}: {_open.Count} connections open in {_slots} slots");
        foreach (var connection in _open)
        {
            PoolInvariants.Check(connection.InFlight >= 0, $"{Origin}: connection {connection.Id} has {connection.InFlight} requests in flight");
            PoolInvariants.Check(connection.InFlight <= Math.Max(1, _options.Strategy == ConnectionStrategy.Pipelined ? _options.PipelineDepth : 1),
                $"{Origin}: connection {connection.Id} has {connection.InFlight} requests in flight");
            PoolInvariants.Check(connection.SendBudget is null or >= 0, $"{Origin}: connection {connection.Id} has a send budget of {connection.SendBudget}");
        }

        foreach (var idle in _idle)
            PoolInvariants.Check(idle.InFlight == 0 && idle.Reusable, $"{Origin}: idle connection {idle.Id} is busy or spent");
    }

    /// <summary>
    /// Takes a connection out of service and closes it. Its slot stays taken until the socket is
    /// really closed, so the origin never has more than N connections open at once.
    /// </summary>
    private void Retire(PersistentConnection connection, CloseReason reason, bool graceful)
    {
        _open.Remove(connection);
        _close(connection, reason, graceful).ContinueWith(
            static (_, state) => ((OriginPool)state!).SlotFreed(), this, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    private void SlotFreed()
    {
        lock (_sync)
        {
            _slots--;
            GrantSlotToWaiter();
        }
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
