using FetchAgent.Engine.Model;
using FetchAgent.Engine.Navigation;

namespace FetchAgent.Engine.Connections;

/// <summary>
/// A connection that carries exchanges: all the pool and the transaction runner know of a connection, whatever it
/// speaks. HTTP/1.1's is <see cref="PersistentConnection"/>; an HTTP/2 connection (streams multiplexed on one
/// connection) or one tunnelled through a proxy would be others, as SocketsHttpHandler's <c>HttpConnectionBase</c>
/// has <c>HttpConnection</c> and <c>Http2Connection</c> under one pool.
/// </summary>
/// <remarks>
/// The state below the line is the pool's, guarded by its <see cref="OriginPool"/>'s lock, and so are the calls there:
/// the pool's policy (slots, waiters, the idle stack, hand-on) is one for every protocol, and it asks the connection the
/// questions whose answers differ by protocol: what one more exchange on it spends, what a finished exchange says of
/// its future, whether it takes another while busy, whether it is still in step while idle.
/// </remarks>
internal abstract partial class PooledConnection
{
    private int _closed;

    protected PooledConnection(int id, Origin origin, Transport transport, PageClock clock)
    {
        Id = id;
        Origin = origin;
        Transport = transport;
        Clock = clock;
        Record = new ConnectionRecord
        {
            Id = id,
            Scheme = origin.Scheme,
            Host = origin.Host,
            Port = origin.Port,
            RemoteAddress = transport.RemoteEndPoint.Address.ToString(),
            RemotePort = transport.RemoteEndPoint.Port,
            LocalAddress = transport.LocalEndPoint.Address.ToString(),
            LocalPort = transport.LocalEndPoint.Port,
            TlsProtocol = transport.TlsProtocol,
            Proxy = origin.Via?.ToString(),
            Anonymous = origin.Anonymous,
        };
        ConnectionRecords.FillSteps(Record, transport.Attempt, clock);
    }

    public int Id { get; private set; }
    public Origin Origin { get; }
    public Transport Transport { get; }
    public ConnectionRecord Record { get; private set; }
    protected PageClock Clock { get; private set; }
    public bool IsClosed => Volatile.Read(ref _closed) == 1;

    /// <summary>Notes this connection's close for the page's trace; null when nobody traces.</summary>
    public PoolTrace? Trace { get => _trace; init => _trace = value; }

    private PoolTrace? _trace;

    /// <summary>
    /// <c>--keep-connections</c>: an idle connection goes on, open, from one view to the next (a first view to its repeat
    /// view): from here on it belongs to that view, under its id there, on its clock and trace, with a record of its
    /// own that has the same 4-tuple and protocol and no setup steps (its DNS, TCP and TLS were the earlier view's).
    /// The earlier view's record says it was kept. Called between the views, with nothing in flight and no pool's lock.
    /// </summary>
    public void MoveToView(int id, PageClock clock, PoolTrace? trace)
    {
        var earlier = Record;
        earlier.KeptForRepeatView = true;
        Id = id;
        Clock = clock;
        _trace = trace;
        Record = earlier.ContinuedAs(id);
    }

    /// <summary>
    /// Sends the request and reads its response, in the place the lease gave it (<see cref="Lease.Turn"/>); says
    /// <c>close</c> when the lease is the connection's last. Stamps <paramref name="stamps"/> at the real events.
    /// </summary>
    public abstract Task<ExchangeResponse> ExchangeAsync(
        ExchangeRequest request, Lease lease, long maxBodyBytes, TransactionTimestamps stamps, CancellationToken cancellationToken);

    /// <summary>
    /// What the protocol must settle before the pool hands the connection out (HTTP/2's SETTINGS exchange); nothing
    /// for HTTP/1.1.
    /// </summary>
    public virtual Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // ---- guarded by the OriginPool's lock ----

    /// <summary>Exchanges leased on this connection and not yet given back: a pipeline's depth, or open streams.</summary>
    public int ActiveExchanges { get; set; }

    /// <summary>False once any rule says this connection carries no more exchanges.</summary>
    public bool Reusable { get; set; } = true;

    /// <summary>Why it will close, once <see cref="Reusable"/> turned false.</summary>
    public CloseReason PendingCloseReason { get; set; } = CloseReason.PageDone;

    /// <summary>What the trace says beside <see cref="PendingCloseReason"/> (e.g. which rule of the server's); null for none.</summary>
    public string? PendingCloseDetail { get; private set; }

    /// <summary>When it last went idle (nothing in flight).</summary>
    public long IdleSince { get; set; }

    /// <summary>The first reason a connection stops being reusable is the one it closes with; true when it was this one.</summary>
    public bool MarkNotReusable(CloseReason reason, string? detail = null)
    {
        if (!Reusable)
            return false;
        Reusable = false;
        PendingCloseReason = reason;
        PendingCloseDetail = detail;
        return true;
    }

    /// <summary>
    /// One more exchange goes on this connection (<see cref="ActiveExchanges"/> already counts it): what that spends,
    /// decided now, under the pool's lock, and carried in the lease.
    /// </summary>
    public abstract LeaseTerms Grant();

    /// <summary>A grant its waiter never took (it was cancelled meanwhile): undo what <see cref="Grant"/> spent.</summary>
    public abstract void Ungrant(LeaseTerms terms);

    /// <summary>
    /// An exchange came back (<see cref="ActiveExchanges"/> no longer counts it): learn what it says of the
    /// connection's future. <paramref name="failure"/> is set when it failed (the pool has marked the connection).
    /// </summary>
    public abstract void Learn(ExchangeResponse? response, CloseReason? failure);

    /// <summary>While busy, may it take one more exchange for a request that accepts <paramref name="kind"/>?</summary>
    public abstract bool TakesAnother(LeaseKind kind, LoadOptions options);

    /// <summary>
    /// The zero-cost check before a connection with nothing in flight carries another exchange (or rests): has the server
    /// closed it, or sent bytes nobody asked for?
    /// </summary>
    public abstract IdleState CheckIdle();

    /// <summary>Why an idle connection may not be reused any more at <paramref name="now"/> (a server's idle limit); null while it may.</summary>
    public abstract CloseReason? ExpiredWhileIdle(long now);

    /// <summary>The connection went idle: watch it for the server's close or stray bytes until it is used again.</summary>
    public abstract void WatchWhileIdle();

    /// <summary>The pool's word on this connection, checked under its lock when <see cref="PoolInvariants"/> are on; null when kept.</summary>
    public abstract string? BrokenInvariant(LoadOptions options);
}

/// <summary>What <see cref="PooledConnection.CheckIdle"/> found on a connection with nothing in flight.</summary>
internal enum IdleState
{
    Usable,

    /// <summary>EOF or a reset: the server is gone.</summary>
    Closed,

    /// <summary>Bytes no request asked for: the connection is out of step and must not carry a request.</summary>
    UnexpectedData,
}
