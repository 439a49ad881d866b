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
internal readonly record struct Lease(PersistentConnection? Connection, long GrantedAt, bool LastRequest)
{
    public static Lease OpenNew(long grantedAt) => new(null, grantedAt, LastRequest: false);

    public bool MustOpen => Connection is null;
}
