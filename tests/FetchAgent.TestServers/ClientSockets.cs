using System.Globalization;

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
            if (entry.RemotePort == remotePort && owned.Contains(entry.Inode) && entry.State is not (Listen or TimeWait or Close))
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
        return Entries().Count(e => wanted.Contains(e.LocalPort) && owned.Contains(e.Inode) && e.State is not (Listen or TimeWait or Close));
    }

    // include/net/tcp_states.h
    private const int TimeWait = 0x06;
    private const int Close = 0x07;
    private const int Listen = 0x0A;

    private readonly record struct Entry(int LocalPort, int RemotePort, int State, long Inode);

    private static IEnumerable<Entry> Entries()
    {
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(file))
                continue;
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length < 10)
                    continue;
                yield return new Entry(Port(f[1]), Port(f[2]), int.Parse(f[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                    long.Parse(f[9], CultureInfo.InvariantCulture));
            }
        }
    }

    private static int Port(string address) => int.Parse(address[(address.IndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);

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
