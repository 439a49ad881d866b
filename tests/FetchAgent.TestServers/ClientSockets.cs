using System.Globalization;
using FetchAgent.Engine.Navigation;

namespace FetchAgent.TestServers;

/// <summary>
/// The TCP sockets this process holds open, read from <c>/proc/net/tcp</c> and <c>/proc/net/tcp6</c> at a moment the
/// test chooses: what the client really has open, not what a server saw. A socket counts when its inode is one of
/// this process's file descriptors (a socket closed by its owner but still in FIN_WAIT2 or TIME_WAIT in the kernel
/// has inode 0 and is no longer anybody's) and its state is not LISTEN or TIME_WAIT.
/// </summary>
public static class ClientSockets
{
    /// <summary>This process's open sockets whose remote end is <paramref name="remotePort"/> on loopback: the client side of connections to that server.</summary>
    public static IReadOnlyList<int> LocalPortsConnectedTo(int remotePort)
    {
        var owned = OwnedSocketInodes();
        var ports = new List<int>();
        foreach (var entry in Entries())
        {
            if (entry.RemotePort == remotePort && owned.Contains(entry.Inode) && entry.State is not (TcpSocketState.Listen or TcpSocketState.TimeWait or TcpSocketState.Close))
                ports.Add(entry.LocalPort);
        }

        ports.Sort();
        return ports;
    }

    /// <summary>How many of <paramref name="localPorts"/> are still open sockets of this process.</summary>
    public static int CountOpen(IEnumerable<int> localPorts)
    {
        var wanted = localPorts.ToHashSet();
        var owned = OwnedSocketInodes();
        return Entries().Count(e => wanted.Contains(e.LocalPort) && owned.Contains(e.Inode) && e.State is not (TcpSocketState.Listen or TcpSocketState.TimeWait or TcpSocketState.Close));
    }

    private readonly record struct Entry(int LocalPort, int RemotePort, TcpSocketState State, long Inode);

    // The kernel's table, read by KernelSockets.
    private static IEnumerable<Entry> Entries() =>
        KernelSockets.Read().Select(s => new Entry(s.Local.Port, s.Remote.Port, s.State, s.Inode));

    private static HashSet<long> OwnedSocketInodes()
    {
        var inodes = new HashSet<long>();
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(fd).LinkTarget;
            }
            catch (IOException)
            {
                continue; // closed while we looked
            }

            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
                inodes.Add(long.Parse(target[8..^1], CultureInfo.InvariantCulture));
        }

        return inodes;
    }
}
