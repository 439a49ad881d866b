using System.Net.Sockets;
using FetchAgent.Engine.Http1;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Navigation;

namespace FetchAgent.Engine.Connections;

/// <summary>
/// One HTTP/1.1 connection of the page load, kept open and reused while RFC 9112 §9.3 and the server's Keep-Alive
/// parameters allow. The state below the line is guarded by its <see cref="OriginPool"/>, whose HTTP/1.1 rules
/// (<c>OriginPool.Http1.cs</c>) answer the pool's questions for it.
/// </summary>
internal sealed partial class PersistentConnection : PooledConnection
{
    public PersistentConnection(int id, Origin origin, Transport transport, PageClock clock)
        : base(id, origin, transport, clock)
    {
        Reader = new ResponseReader(transport.Stream, clock.TimeProvider);
    }

    public ResponseReader Reader { get; }

    // ---- guarded by the OriginPool's lock ----

    /// <summary>Requests leased on this connection so far, answered or not (the write order's length).</summary>
    public int Leased { get; set; }

    /// <summary>
    /// The newest response (by its place on the wire) the pool has learned from. Pipelined responses are read in order
    /// but given back from their own tasks, so they can reach the pool out of order: what a response says of the
    /// connection's future (Keep-Alive) counts only if no later response has spoken already.
    /// </summary>
    public int LearnedUpTo { get; set; }

    /// <summary>The newest response (by its place on the wire) whose Keep-Alive parameters the record shows.</summary>
    public int KeepAliveRecordedUpTo { get; set; }

    /// <summary>More requests the server's <c>Keep-Alive: max</c> allows; null while it has said none.</summary>
    public int? SendBudget { get; set; }

    /// <summary>Server's <c>Keep-Alive: timeout</c>; never reused after it (less a margin).</summary>
    public TimeSpan? KeepAliveTimeout { get; set; }

    /// <summary>
    /// Pipelining is allowed only after a persistent HTTP/1.1 response came back on this connection
    /// and nothing has failed on it since (RFC 9112 §9.3.2).
    /// </summary>
    public bool PipelineReady { get; set; }

    /// <summary>Completes when the last request handed this connection has been written (or given up).</summary>
    private Task _lastWrite = Task.CompletedTask;

    /// <summary>The next place in the write order, taken when the pool hands out the connection.</summary>
    public WriteTurn TakeWriteTurn()
    {
        var turn = new WriteTurn(_lastWrite, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _lastWrite = turn.Written.Task;
        return turn;
    }

    /// <summary>A turn taken and not used (its waiter was gone): the order closes over it, as taken last.</summary>
    public void GiveBackWriteTurn(WriteTurn turn)
    {
        if (_lastWrite == turn.Written.Task)
            _lastWrite = turn.Previous;
        else
            turn.Written.TrySetResult();
    }

    // The pool's questions, answered by its HTTP/1.1 rules.
    public override LeaseTerms Grant() => OriginPool.Http1Grant(this);

    public override void Ungrant(LeaseTerms terms) => OriginPool.Http1Ungrant(this, terms);

    public override void Learn(ExchangeResponse? response, CloseReason? failure) => OriginPool.Http1Learn(this, response, failure);

    public override bool TakesAnother(LeaseKind kind, LoadOptions options) => OriginPool.Http1Pipelines(this, kind, options);

    public override string? BrokenInvariant(LoadOptions options) => OriginPool.Http1BrokenInvariant(this, options);

    /// <inheritdoc/>
    /// <remarks>
    /// Bytes nobody asked for must not be taken as the next response (RFC 9112 §6.3, last paragraph). Bytes already read
    /// past the last response are in the reader's buffer. An idle connection has a read-ahead posted
    /// (<see cref="ResponseReader.StartReadAhead"/>) that completes on EOF, a reset or data, as SocketsHttpHandler does:
    /// on TLS that is the only honest test, since a post-handshake record (a TLS 1.3 session ticket) makes the socket
    /// readable while the TLS layer consumes it and yields nothing. On plain TCP every byte is HTTP, so polling the
    /// socket also catches what arrived before the read-ahead completed.
    /// </remarks>
    public override IdleState CheckIdle()
    {
        if (IsClosed)
            return IdleState.Closed;
        if (Reader.HasBufferedData)
            return IdleState.UnexpectedData;
        if (Reader.ReadAheadOutcome() is { } outcome)
            return outcome > 0 ? IdleState.UnexpectedData : IdleState.Closed;
        if (Transport.Stream is System.Net.Security.SslStream)
            return IdleState.Usable;
        try
        {
            if (!Transport.Socket.Poll(0, SelectMode.SelectRead))
                return IdleState.Usable;
            return Transport.Socket.Available > 0 ? IdleState.UnexpectedData : IdleState.Closed;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return IdleState.Closed;
        }
    }

    /// <summary>Idle past the server's Keep-Alive timeout, less a margin for the packet in flight.</summary>
    public override CloseReason? ExpiredWhileIdle(long now)
    {
        if (KeepAliveTimeout is not { } timeout)
            return null;
        var margin = TimeSpan.FromMilliseconds(Math.Min(1000, timeout.TotalMilliseconds / 4));
        return Clock.TimeProvider.GetElapsedTime(IdleSince, now) >= timeout - margin ? CloseReason.KeepAliveTimeout : null;
    }

    public override void WatchWhileIdle() => Reader.StartReadAhead();
}
