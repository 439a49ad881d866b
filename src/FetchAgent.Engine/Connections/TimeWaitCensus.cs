using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Connections;

/// <summary>
/// After a load's connections are closed: the local ports it used, and how many of FetchAgent's ends went on to wait
/// in TIME_WAIT. The side that closes first holds TIME_WAIT (RFC 9293 §3.6), for 60 s on Linux, and every such socket
/// keeps its port from being used for the same 4-tuple: the chapter's TIME_WAIT accumulation and port exhaustion.
/// Each connection learned at its close who closed first, from the kernel's own TCP state of its socket
/// (<see cref="PooledConnection"/>); nothing here reads the machine's socket table, whose size would be the daemon's
/// cost on every load.
/// </summary>
public static class TimeWaitCensus
{
    public static void Take(PageLoadDocument document)
    {
        var opened = document.Connections.Where(c => c.LocalPort > 0 && c.RemoteAddress is not null).ToList();
        document.PortsUsed = opened.Select(c => c.LocalPort).Distinct().Order().ToList();
        document.TimeWaitSockets = opened.Any(c => c.TimeWait is not null) ? opened.Count(c => c.TimeWait == true) : null;
    }
}
