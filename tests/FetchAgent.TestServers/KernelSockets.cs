using System.Globalization;
using System.Net;
using FetchAgent.Engine.Navigation;

namespace FetchAgent.TestServers;

/// <summary>One line of the kernel's TCP socket table: both ends, the state, and the inode (0 once no process owns it).</summary>
public readonly record struct KernelSocket(IPEndPoint Local, IPEndPoint Remote, TcpSocketState State, long Inode);

/// <summary>
/// The machine's TCP sockets as Linux lists them in <c>/proc/net/tcp</c> and <c>/proc/net/tcp6</c>: what the kernel
/// holds, including sockets no process owns any more (FIN_WAIT2, TIME_WAIT). Elsewhere there is no table and
/// <see cref="Supported"/> is false. The tests' outside view of the sockets; the engine reads each socket's own state
/// instead (the whole table costs milliseconds per read on a busy host).
/// </summary>
public static class KernelSockets
{
    private static readonly string[] Tables = ["/proc/net/tcp", "/proc/net/tcp6"];

    public static bool Supported => OperatingSystem.IsLinux() && File.Exists(Tables[0]);

    public static List<KernelSocket> Read()
    {
        var sockets = new List<KernelSocket>();
        foreach (var table in Tables)
        {
            IEnumerable<string> lines;
            try
            {
                lines = File.ReadLines(table).Skip(1).ToList();
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var line in lines)
            {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length >= 10 && EndPoint(f[1]) is { } local && EndPoint(f[2]) is { } remote
                    && int.TryParse(f[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var state)
                    && long.TryParse(f[9], NumberStyles.Integer, CultureInfo.InvariantCulture, out var inode))
                {
                    sockets.Add(new KernelSocket(local, remote, (TcpSocketState)state, inode));
                }
            }
        }

        return sockets;
    }

    /// <summary><c>0100007F:1F90</c>: the address as the kernel's 32-bit words in host order (little-endian here), then the port.</summary>
    private static IPEndPoint? EndPoint(string text)
    {
        var colon = text.IndexOf(':');
        if (colon < 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port))
            return null;
        var hex = text.AsSpan(0, colon);
        if (hex.Length is not (8 or 32))
            return null;
        var bytes = new byte[hex.Length / 2];
        for (var word = 0; word < hex.Length / 8; word++)
        {
            if (!uint.TryParse(hex.Slice(word * 8, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
                return null;
            BitConverter.TryWriteBytes(bytes.AsSpan(word * 4, 4), value); // each word as the kernel wrote it: host order
        }

        var address = new IPAddress(bytes);
        return new IPEndPoint(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, port);
    }
}
