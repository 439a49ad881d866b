namespace FetchAgent.Engine.Connections;

/// <summary>
/// What the pool decided for a request, under its lock, carried to the request so nothing is read back
/// from pool state later: a connection to use (or a slot to open one in), when it was granted, and whether
/// this request is the connection's last.
/// </summary>
/// <param name="Connection">The connection to use; null for a slot in which to open a new one.</param>
/// <param name="GrantedAt">
/// When the connection became the request's: the previous response's last byte for a connection handed on,
/// the moment of the decision otherwise. Queueing ends here; what FetchAgent does after it until the request is
/// written is the request's <c>send</c>.
/// </param>
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
internal readonly record struct Lease(PersistentConnection? Connection, long GrantedAt, bool LastRequest, WriteTurn Turn)
{
    public static Lease OpenNew(long grantedAt) => new(null, grantedAt, LastRequest: false, default);

    public bool MustOpen => Connection is null;
}

/// <summary>
/// A request's place in its connection's write order: it writes once <paramref name="Previous"/> (the request before
/// it) has written or given up, and completes <paramref name="Written"/> when it has, in success or failure.
/// </summary>
internal readonly record struct WriteTurn(Task Previous, TaskCompletionSource Written);
