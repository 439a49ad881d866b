using System.Net;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Navigation;

namespace FetchAgent.Engine.Connections;

/// <summary>
/// After a load's connections are closed: which of them left a socket in TIME_WAIT, and on whose side. The side that
/// closes first holds TIME_WAIT (RFC 9293 §3.6), for 60 s on Linux, and every such socket keeps its local port from
/// being used for the same 4-tuple: the chapter's TIME_WAIT accumulation and port exhaustion. Read from the kernel's
/// socket table once the closing handshakes are over (a socket still in FIN_WAIT or LAST_ACK is waited for, briefly).
/// </summary>
public static class TimeWaitCensus
{
    // The pool's graceful close already read the server's FIN, so the kernel moves FetchAgent's end to TIME_WAIT at
    // once; only a connection closed abruptly may still be on its way. The wait is off every clock, and short.
    private static readonly TimeSpan MostWait = TimeSpan.FromMilliseconds(20);

    /// <summary>Fills each connection's <see cref="ConnectionRecord.TimeWait"/> and <see cref="ConnectionRecord.ClosedBy"/>
    /// and the document's <see cref="PageLoadDocument.TimeWaitSockets"/>; leaves them null where the kernel has no table.</summary>
    public static async Task TakeAsync(PageLoadDocument document, CancellationToken cancellationToken = default)
    {
        // The kernel's time, not the page's: a test's manual clock must not hold this wait open.
        var time = TimeProvider.System;
        var opened = document.Connections.Where(c => c.LocalPort > 0 && c.RemoteAddress is not null).ToList();
        document.PortsUsed = opened.Select(c => c.LocalPort).Distinct().Order().ToList();
        if (!KernelSockets.Supported)
            return;

        var ends = opened.ToDictionary(c => c, c => (Local: new IPEndPoint(IPAddress.Parse(c.LocalAddress ?? c.RemoteAddress!), c.LocalPort), Remote: new IPEndPoint(IPAddress.Parse(c.RemoteAddress!), c.RemotePort)));
        var deadline = time.GetTimestamp() + (long)(MostWait.TotalSeconds * time.TimestampFrequency);
        List<KernelSocket> table;
        while (true)
        {
            table = KernelSockets.Read();
            var closing = table.Any(s => s.State is TcpSocketState.FinWait1 or TcpSocketState.FinWait2 or TcpSocketState.Closing or TcpSocketState.LastAck
                && ends.Values.Any(e => Same(s, e.Local, e.Remote) || Same(s, e.Remote, e.Local)));
            if (!closing || time.GetTimestamp() >= deadline)
                break;
            await Task.Delay(TimeSpan.FromMilliseconds(5), time, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (connection, (local, remote)) in ends)
        {
            var ours = table.Any(s => s.State == TcpSocketState.TimeWait && Same(s, local, remote));
            // On loopback (or any host whose table this is) the server's end is in the table too.
            var theirs = table.Any(s => s.State == TcpSocketState.TimeWait && Same(s, remote, local));
            connection.TimeWait = ours;
            connection.ClosedBy = (ours, theirs) switch
            {
                (true, true) => ClosedBy.Both,
                (true, false) => ClosedBy.Client,
                (false, true) => ClosedBy.Server,
                _ => null,
            };
        }

        document.TimeWaitSockets = ends.Keys.Count(c => c.TimeWait == true);
    }

    private static bool Same(KernelSocket socket, IPEndPoint local, IPEndPoint remote) =>
        socket.Local.Port == local.Port && socket.Remote.Port == remote.Port && socket.Remote.Address.Equals(remote.Address);
}
