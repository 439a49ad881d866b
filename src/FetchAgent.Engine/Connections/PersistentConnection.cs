using System.Net.Sockets;
using FetchAgent.Engine.Http1;
using FetchAgent.Engine.Navigation;
using FetchAgent.Engine.Timeline;

namespace FetchAgent.Engine.Connections;

/// <summary>
/// One TCP connection of the page load, kept open and reused while RFC 9112 §9.3 and the
/// server's Keep-Alive parameters allow. The state below the line is guarded by its <see cref="OriginPool"/>.
/// </summary>
internal sealed partial class PersistentConnection
{
    private readonly PageClock _clock;
    private int _closed;

    public PersistentConnection(int id, Origin origin, Transport transport, PageClock clock)
    {
        Id = id;
        Origin = origin;
        Transport = transport;
        _clock = clock;
        Reader = new ResponseReader(transport.Stream, clock.TimeProvider);
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
        };
        ConnectionRecords.FillSteps(Record, transport.Attempt, clock);
    }

    public int Id { get; }
    public Origin Origin { get; }
    public Transport Transport { get; }
    public ResponseReader Reader { get; }
    public ConnectionRecord Record { get; }
    public bool IsClosed => Volatile.Read(ref _closed) == 1;

    // ---- guarded by the OriginPool's lock ----

    /// <summary>Requests leased on this connection and not yet answered.</summary>
    public int InFlight { get; set; }

    /// <summary>More requests the server's <c>Keep-Alive: max</c> allows; null while it has said none.</summary>
    public int? SendBudget { get; set; }

    /// <summary>Server's <c>Keep-Alive: timeout</c>; never reused after it (less a margin).</summary>
    public TimeSpan? KeepAliveTimeout { get; set; }

    /// <summary>False once any rule says this connection carries no more requests.</summary>
    public bool Reusable { get; set; } = true;

    /// <summary>Why it will close, once <see cref="Reusable"/> turned false.</summary>
    public CloseReason PendingCloseReason { get; set; } = CloseReason.PageDone;

    /// <summary>
    /// Pipelining is allowed only after a persistent HTTP/1.1 response came back on this connection
    /// and nothing has failed on it since (RFC 9112 §9.3.2).
    /// </summary>
    public bool PipelineReady { get; set; }

    public long IdleSince { get; set; }

    /// <summary>The zero-cost check before reuse: has the server closed (or written to) the idle socket?</summary>
    public bool LooksClosedByServer()
    {
        if (IsClosed || Reader.HasBufferedData)
            return true;
        try
        {
            // Readable while idle means EOF, a reset, or bytes nobody asked for: none can carry a request.
            return Transport.Socket.Poll(0, SelectMode.SelectRead);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return true;
        }
    }

    /// <summary>Idle past the server's Keep-Alive timeout, less a margin for the packet in flight.</summary>
    public bool KeepAliveExpired(long now)
    {
        if (KeepAliveTimeout is not { } timeout)
            return false;
        var margin = TimeSpan.FromMilliseconds(Math.Min(1000, timeout.TotalMilliseconds / 4));
        return _clock.TimeProvider.GetElapsedTime(IdleSince, now) >= timeout - margin;
    }
}
