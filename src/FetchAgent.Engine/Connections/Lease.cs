namespace FetchAgent.Engine.Connections;

/// <summary>
/// What the pool decided for a request, under its lock, carried to the request so nothing is read back
/// from pool state later: a connection to use (or a slot to open one in), when and how it was granted, and what
/// the connection's protocol made of it (<see cref="LeaseTerms"/>).
/// </summary>
/// <param name="Connection">The connection to use; null for a slot in which to open a new one.</param>
/// <param name="GrantedAt">
/// When the connection became the request's: the previous response's last byte for a connection handed on,
/// the moment of the decision otherwise. Queueing ends here; what FetchAgent does after it until the request is
/// written is the request's <c>send</c>.
/// </param>
/// <param name="Source">How the request got it: a slot, the connection opened in it, an idle one, a busy one, one handed on.</param>
/// <param name="Terms">What this exchange spends of the connection: its last turn or not, its place in the write order.</param>
/// <param name="Sharing">Exchanges already in flight on the connection when it was granted (0 unless pipelined or multiplexed).</param>
internal readonly record struct Lease(PooledConnection? Connection, long GrantedAt, LeaseSource Source, LeaseTerms Terms, int Sharing = 0)
{
    public static Lease OpenNew(long grantedAt) => new(null, grantedAt, LeaseSource.NewSlot, default);

    public bool MustOpen => Connection is null;

    /// <summary>The connection had carried (or is carrying) other exchanges: it was not opened for this one.</summary>
    public bool Reused => Source is LeaseSource.Idle or LeaseSource.Busy or LeaseSource.HandedOn;

    /// <summary>The request behind other requests still in flight on the connection (HTTP/1.1 pipelining).</summary>
    public bool Pipelined => Sharing > 0;

    /// <inheritdoc cref="LeaseTerms.LastRequest"/>
    public bool LastRequest => Terms.LastRequest;

    /// <inheritdoc cref="LeaseTerms.Turn"/>
    public WriteTurn Turn => Terms.Turn;
}

/// <summary>How a request came by its lease.</summary>
internal enum LeaseSource
{
    /// <summary>A free slot: the request opens a connection in it.</summary>
    NewSlot,

    /// <summary>The connection the request opened in its slot.</summary>
    Opened,

    /// <summary>Taken from the idle stack.</summary>
    Idle,

    /// <summary>A busy connection that took one more (pipelining), at the request's own asking.</summary>
    Busy,

    /// <summary>Freed by a finished exchange and handed straight to this waiting request.</summary>
    HandedOn,
}

/// <summary>What one more exchange spends of its connection, decided by the connection's protocol under the pool's lock.</summary>
/// <param name="LastRequest">
/// This request spends the connection's last turn (the strategy does not reuse, or it is the server's last
/// <c>Keep-Alive: max</c> request): it says <c>Connection: close</c> (RFC 9112 §9.6). Decided when the lease was given,
/// so two pipelined requests never both take the last turn.
/// </param>
/// <param name="Turn">
/// This request's place in the connection's write order, also decided when the lease was given: pipelined requests
/// are written in the order the pool handed them out, so the one that says <c>Connection: close</c> goes out last.
/// Tasks racing for the socket would otherwise write it first, and the server would close before answering the rest.
/// </param>
internal readonly record struct LeaseTerms(bool LastRequest, WriteTurn Turn);

/// <summary>
/// A request's place in its connection's write order: it writes once <paramref name="Previous"/> (the request before
/// it) has written or given up, and completes <paramref name="Written"/> when it has, in success or failure.
/// </summary>
internal readonly record struct WriteTurn(Task Previous, TaskCompletionSource Written);
