using System.Net;
using System.Net.Sockets;

namespace FetchAgent.TestServers;

/// <summary>A port nobody listens on right now, for a server (or a daemon, or a silent peer) a test or bench starts.</summary>
public static class LoopbackPorts
{
    /// <summary>A port the kernel gave a listener on <paramref name="address"/> (127.0.0.1 when none) and took back.</summary>
    public static int Free(IPAddress? address = null)
    {
        using var probe = new TcpListener(address ?? IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
