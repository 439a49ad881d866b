using FetchAgent.Engine.Model;
using FetchAgent.Engine.Navigation;

namespace FetchAgent.Engine.Connections;

/// <summary>
/// The bounded pool of one origin: at most N connections open at once, idle ones on a stack,
/// waiters in a FIFO queue, and a freed connection (or slot) handed straight to the oldest waiter.
/// </summary>
/// <remarks>
/// This file is the policy every kind of connection shares; it knows connections only as <see cref="PooledConnection"/>
/// and asks them what differs by protocol. HTTP/1.1's answers are the pool's HTTP/1.1 rules, in <c>OriginPool.Http1.cs</c>
/// (as SocketsHttpHandler keeps <c>HttpConnectionPool.Http1.cs</c>).
/// </remarks>
internal sealed partial class OriginPool
{
    private readonly object _sync = new();
    private readonly List<PooledConnection> _open = [];
    private readonly Stack<PooledConnection> _idle = new();
    private readonly Queue<PoolWaiter> _retryWaiters = new();
    /// <summary>
    /// Waiters by the request's priority, FIFO among equals (the sequence number), as a browser's request queue: a
    /// render-blocking stylesheet or font found late goes ahead of the images already waiting.
    /// </summary>
    private readonly PriorityQueue<PoolWaiter, (int Priority, long Sequence)> _waiters = new();
    private long _waiterSequence;
    private readonly LoadOptions _options;
    private readonly PageClock _clock;
    private readonly Func<PooledConnection, CloseReason, bool, Task> _close;
    private readonly PoolTrace? _trace;
    private int _slots;

    public OriginPool(Origin origin, LoadOptions options, PageClock clock, Func<PooledConnection, CloseReason, bool, Task> close, PoolTrace? trace = null)
    {
        Origin = origin;
        _options = options;
        _clock = clock;
        _close = close;
        _trace = trace;
    }

    public Origin Origin { get; }

    private bool Reuses => _options.Strategy is ConnectionStrategy.Persistent or ConnectionStrategy.Pipelined or ConnectionStrategy.Multiplexed;

    /// <summary>A connection for the request, or a slot to open one; waits by priority, FIFO among equals, when all N are busy.</summary>
    public async ValueTask<Lease> AcquireAsync(ExchangeRequest request, LeaseKind kind, CancellationToken cancellationToken)
    {
        PoolWaiter waiter;
        lock (_sync)
        {
            var now = _clock.Now();
            if (TryLease(request, kind, now) is { } lease)
                return lease;
            waiter = new PoolWaiter(request, kind);
            // A retry already had its turn in the queue: it goes ahead of requests that have not.
            if (kind == LeaseKind.NewOnly)
                _retryWaiters.Enqueue(waiter);
            else
                _waiters.Enqueue(waiter, (request.QueuePriority, _waiterSequence++));
            _trace?.Queued(now, request, _slots, SlotLimit, _retryWaiters.Count + _waiters.Count);
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

    private Lease? TryLease(ExchangeRequest request, LeaseKind kind, long now)
    {
        if (Reuses && kind != LeaseKind.NewOnly && PopReusableIdle(now) is { } idle)
            return Grant(idle, now, LeaseSource.Idle, request);
        if (_slots >= SlotLimit && kind == LeaseKind.NewOnly && _idle.TryPop(out var spare))
        {
            // A retry needs a new connection: an idle one gives up its slot (free once it has closed).
            spare.MarkNotReusable(CloseReason.Idle, "making room for a retry");
            Retire(spare, CloseReason.Idle, graceful: true, now);
        }

        if (_slots < SlotLimit)
        {
            _slots++;
            AssertInvariants();
            return Lease.OpenNew(now);
        }

        if (kind != LeaseKind.NewOnly && SharedCandidate(kind) is { } busy)
            return Grant(busy, now, LeaseSource.Busy, request);
        return null;
    }

    private PooledConnection? PopReusableIdle(long now)
    {
        while (_idle.TryPop(out var connection))
        {
            if (connection.ExpiredWhileIdle(now) is { } expired)
            {
                connection.MarkNotReusable(expired);
                Retire(connection, expired, graceful: true, now);
            }
            else if (!RetireIfOutOfStep(connection, "while idle", now))
            {
                return connection;
            }
        }

        return null;
    }

    /// <summary>
    /// A connection with nothing in flight is about to carry a request (or rest): if the server closed it or sent bytes
    /// no request asked for, it is retired, never reused (RFC 9112 §6.3, last paragraph). True when retired.
    /// </summary>
    private bool RetireIfOutOfStep(PooledConnection connection, string when, long now)
    {
        switch (connection.CheckIdle())
        {
            case IdleState.Closed:
                connection.MarkNotReusable(CloseReason.ServerClose, $"the server closed it {when}");
                Retire(connection, connection.PendingCloseReason, graceful: false, now);
                return true;
            case IdleState.UnexpectedData:
                if (connection.MarkNotReusable(CloseReason.Error, $"unread bytes {when}"))
                {
                    // RFC 9112 §6.3, last paragraph: such bytes are not a response; the connection broke the protocol.
                    connection.Record.Error = $"unexpected data {when}: bytes after a complete response that no request asked for";
                    connection.Record.ErrorKind = ErrorKind.Protocol;
                }
                Retire(connection, connection.PendingCloseReason, graceful: false, now);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The least busy connection that takes one more exchange while busy (HTTP/1.1: its pipeline).</summary>
    private PooledConnection? SharedCandidate(LeaseKind kind)
    {
        PooledConnection? best = null;
        foreach (var connection in _open)
        {
            if (connection.TakesAnother(kind, _options) && (best is null || connection.ActiveExchanges < best.ActiveExchanges))
                best = connection;
        }

        return best;
    }

    /// <summary>Gives the connection one more exchange; its protocol says what that spends (the lease's terms).</summary>
    private Lease Grant(PooledConnection connection, long grantedAt, LeaseSource source, ExchangeRequest request)
    {
        var sharing = connection.ActiveExchanges;
        connection.ActiveExchanges++;
        var lease = new Lease(connection, grantedAt, source, connection.Grant(), sharing);
        _trace?.Granted(lease, request);
        return lease;
    }

    /// <summary>A slot lease became a connection: it carries the request that opened it, first in its write order.</summary>
    public Lease Attach(PooledConnection connection, long grantedAt, ExchangeRequest request)
    {
        lock (_sync)
        {
            _open.Add(connection);
            NoteProtocol(connection);
            if (!Reuses)
                connection.MarkNotReusable(CloseReason.ClientClose, $"the {_options.Strategy.ToString().ToLowerInvariant()} strategy does not reuse connections");
            var lease = Grant(connection, grantedAt, LeaseSource.Opened, request);
            // A kind that carries several exchanges from the start (HTTP/2's streams) takes the waiters it can now; an
            // HTTP/1.1 connection takes none before its first response (pipelining waits for a persistent one).
            if (connection.Reusable && PeekWaiter() is not null)
                HandOn(connection, _clock.Now());
            AssertInvariants();
            return lease;
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
    /// <param name="errorKind">The kind beside <paramref name="error"/>.</param>
    public void Release(PooledConnection connection, ExchangeResponse? response, CloseReason? failure, long freedAt, string? error = null, ErrorKind? errorKind = null)
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
    public ValueTask<Lease> ReleaseForRetryAsync(PooledConnection connection, ExchangeRequest request, long freedAt, CancellationToken cancellationToken)
    {
        PoolWaiter waiter;
        lock (_sync)
        {
            ReleaseLocked(connection, null, CloseReason.ServerClose, freedAt, null, null, "closed before any response byte");
            var now = _clock.Now();
            _trace?.Retried(now, request, connection);
            if (TryLease(request, LeaseKind.NewOnly, now) is { } lease)
                return ValueTask.FromResult(lease);
            waiter = new PoolWaiter(request, LeaseKind.NewOnly);
            _retryWaiters.Enqueue(waiter);
        }

        return WaitAsync(waiter, cancellationToken);
    }

    private void ReleaseLocked(PooledConnection connection, ExchangeResponse? response, CloseReason? failure, long freedAt, string? error, ErrorKind? errorKind, string? why = null)
    {
        connection.ActiveExchanges--;
        if (failure is { } reason)
        {
            // A failure without a text (a request given up) leaves what the connection itself noted, if anything.
            if (connection.MarkNotReusable(reason, why ?? error) && reason == CloseReason.Error && error is not null)
            {
                connection.Record.Error = error;
                connection.Record.ErrorKind = errorKind ?? ErrorKind.Internal;
            }
        }
        else if (response is not null)
        {
            connection.Record.Requests++;
        }

        connection.Learn(response, failure);
        // Every hand-on of a connection with nothing in flight behind this response checks it first: bytes past
        // the response (a body longer than its Content-Length, data after a 204 or 304, more responses than
        // requests) are not the next request's response.
        if (connection.Reusable && connection.ActiveExchanges == 0 && RetireIfOutOfStep(connection, "after a response", freedAt))
        {
            AssertInvariants();
            return;
        }

        if (connection.Reusable)
            HandOn(connection, freedAt);
        else if (connection.ActiveExchanges == 0)
            Retire(connection, connection.PendingCloseReason, graceful: failure is null, freedAt);
        AssertInvariants();
    }

    /// <summary>A connection that may carry more: to the oldest waiter that takes it, else onto the idle stack.</summary>
    private void HandOn(PooledConnection connection, long freedAt)
    {
        while (PeekWaiter() is { } waiter)
        {
            if (connection.ActiveExchanges == 0 && !waiter.TakesReused)
            {
                // The oldest waiter is a retry that needs a new connection: this one makes room for it.
                connection.MarkNotReusable(CloseReason.Idle, "making room for a retry");
                Retire(connection, CloseReason.Idle, graceful: true, freedAt);
                return;
            }

            var fits = connection.ActiveExchanges == 0 ? waiter.TakesReused : connection.TakesAnother(waiter.Kind, _options);
            if (!fits)
                break;
            DequeueWaiter();
            var lease = Grant(connection, freedAt, LeaseSource.HandedOn, waiter.Request);
            if (!waiter.Lease.TrySetResult(lease))
            {
                connection.Ungrant(lease.Terms);
                connection.ActiveExchanges--;
                _trace?.Ungranted(freedAt, connection, waiter.Request);
            }

            if (!connection.Reusable)
                break;
        }

        if (connection.ActiveExchanges == 0 && connection.Reusable)
        {
            connection.IdleSince = freedAt;
            connection.WatchWhileIdle();
            _idle.Push(connection);
        }
    }

    private PoolWaiter? PeekWaiter()
    {
        while (_retryWaiters.TryPeek(out var retry))
        {
            if (retry.IsLive)
                return retry;
            _retryWaiters.Dequeue();
        }

        while (_waiters.TryPeek(out var waiter, out _))
        {
            if (waiter.IsLive)
                return waiter;
            _waiters.Dequeue();
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
        while (_slots < SlotLimit && PeekWaiter() is { } waiter)
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
    /// (a slot is freed only when its socket has closed, so slots may exceed the open list while one closes); each
    /// connection's protocol checks its own word. Runs when <see cref="PoolInvariants"/> is on (the tests), costs one
    /// branch otherwise.
    /// </summary>
    private void AssertInvariants()
    {
        if (!PoolInvariants.Enabled)
            return;
        PoolInvariants.Check(Monitor.IsEntered(_sync), "pool state read outside its lock");
        PoolInvariants.Check(_slots >= 0 && _slots <= SlotLimit, $"{Origin}: {_slots} slots taken of {SlotLimit}");
        PoolInvariants.Check(_open.Count <= _slots, $"{Origin}: {_open.Count} connections open in {_slots} slots");
        foreach (var connection in _open)
        {
            PoolInvariants.Check(connection.ActiveExchanges >= 0, $"{Origin}: connection {connection.Id} has {connection.ActiveExchanges} exchanges in flight");
            if (connection.BrokenInvariant(_options) is { } broken)
                PoolInvariants.Check(false, $"{Origin}: connection {connection.Id} {broken}");
        }

        foreach (var idle in _idle)
            PoolInvariants.Check(idle.ActiveExchanges == 0 && idle.Reusable, $"{Origin}: idle connection {idle.Id} is busy or spent");
    }

    /// <summary>
    /// Takes a connection out of service and closes it. Its slot stays taken until the socket is
    /// really closed, so the origin never has more than N connections open at once.
    /// </summary>
    private void Retire(PooledConnection connection, CloseReason reason, bool graceful, long at)
    {
        _open.Remove(connection);
        _trace?.Retired(at, connection, reason);
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

    /// <summary>
    /// <c>--keep-connections</c>, at the end of a view: the idle connections that may carry another request (not expired
    /// under the server's keep-alive timeout, not closed by the server, in step) leave this pool open, for the next
    /// view; their slots go with them. The rest stay, for <see cref="TakeAll"/> to close.
    /// </summary>
    public List<PooledConnection> TakeIdleForNextView()
    {
        lock (_sync)
        {
            var now = _clock.Now();
            var kept = new List<PooledConnection>();
            var spent = new List<PooledConnection>();
            while (_idle.TryPop(out var connection))
            {
                var usable = connection.Reusable && connection.ExpiredWhileIdle(now) is null && connection.CheckIdle() == IdleState.Usable;
                (usable ? kept : spent).Add(connection);
            }

            foreach (var connection in spent)
                _idle.Push(connection);
            foreach (var connection in kept)
            {
                _open.Remove(connection);
                _slots--;
                _trace?.Kept(now, connection);
            }

            AssertInvariants();
            kept.Reverse(); // the most recently used first, as the idle stack hands them out
            return kept;
        }
    }

    /// <summary>
    /// <c>--keep-connections</c>, at the start of a view: a connection the earlier view left idle joins this pool as an
    /// idle one, holding a slot as any open connection does (the same per-host limit applies to both views).
    /// </summary>
    public void AdoptIdle(PooledConnection connection)
    {
        lock (_sync)
        {
            PoolInvariants.Check(_slots < SlotLimit, $"{Origin}: a kept connection finds all {SlotLimit} slots taken");
            _slots++;
            _open.Add(connection);
            NoteProtocol(connection); // an HTTP/2 connection's stream limit is this pool's to follow from now on
            connection.IdleSince = _clock.Now();
            _idle.Push(connection);
            AssertInvariants();
        }
    }

    /// <summary>Every connection still open, for the close at the end of the page load.</summary>
    public List<PooledConnection> TakeAll()
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
