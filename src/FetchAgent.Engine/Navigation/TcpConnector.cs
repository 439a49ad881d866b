using System.Net;
using System.Net.Sockets;

namespace FetchAgent.Engine.Navigation;

/// <summary>Step 4: open the TCP connection, trying each resolved address in turn.</summary>
public static class TcpConnector
{
    /// <summary>A connected socket with Nagle's algorithm off, as the chapter advises for HTTP (TCP_NODELAY).</summary>
    public static async Task<Socket> ConnectAsync(IReadOnlyList<IPAddress> addresses, int port, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                failures.Add($"{Format(address, port)} {Describe(e.SocketErrorCode)}");
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw new NavigationException($"connect: {string.Join("; ", failures)}");
    }

    private static string Format(IPAddress address, int port) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";

    private static string Describe(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.TimedOut => "timed out",
        SocketError.HostUnreachable => "host unreachable",
        SocketError.NetworkUnreachable => "network unreachable",
        SocketError.AddressNotAvailable => "address not available",
        _ => error.ToString(),
    };
}
