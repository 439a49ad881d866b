using System.Net;
using System.Net.Sockets;
using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Navigation;

/// <summary>Step 4: open the TCP connection, trying each resolved address in turn.</summary>
public static class TcpConnector
{
    /// <summary>A connected socket with Nagle's algorithm off, as the chapter advises for HTTP (TCP_NODELAY).</summary>
    public static Task<Socket> ConnectAsync(IReadOnlyList<IPAddress> addresses, int port, CancellationToken cancellationToken) =>
        ConnectAsync(addresses, port, attempt: null, TimeProvider.System, cancellationToken);

    /// <summary>
    /// As above, stamping <see cref="ConnectionAttempt.ConnectEnd"/> the moment the handshake completes, before
    /// anything else is done, and keeping the address tried last even when it fails (Linux gives a failed connect's local port back, so that
    /// end is unknown then).
    /// </summary>
    public static async Task<Socket> ConnectAsync(
        IReadOnlyList<IPAddress> addresses, int port, ConnectionAttempt? attempt, TimeProvider time, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        var errors = new List<SocketError>();
        foreach (var candidate in addresses)
        {
            // An IPv4-mapped IPv6 literal ([::ffff:127.0.0.1]) is the IPv4 address, as a browser connects to it.
            var address = candidate.IsIPv4MappedToIPv6 ? candidate.MapToIPv4() : candidate;
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            var remote = new IPEndPoint(address, port);
            if (attempt is not null)
                attempt.RemoteEndPoint = remote;
            try
            {
                // Connect time starts at the first SYN: the socket is made first, so its cost is not connect time.
                if (attempt is not null)
                    attempt.ConnectStart ??= time.GetTimestamp();
                await socket.ConnectAsync(remote, cancellationToken).ConfigureAwait(false);
                if (attempt is not null)
                {
                    attempt.ConnectEnd = time.GetTimestamp();
                    attempt.LocalEndPoint = socket.LocalEndPoint as IPEndPoint;
                }

                return socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                failures.Add($"{Format(address, port)} {Describe(e.SocketErrorCode)}");
                errors.Add(e.SocketErrorCode);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        // Refused only when every address answered the SYN with a RST; a timeout of the socket's own is a timeout.
        var kind = errors.Count > 0 && errors.TrueForAll(e => e == SocketError.ConnectionRefused) ? ErrorKind.Refused
            : errors.Count > 0 && errors.TrueForAll(e => e == SocketError.TimedOut) ? ErrorKind.Timeout
            : ErrorKind.Unreachable;
        throw new NavigationException(kind, $"connect: {string.Join("; ", failures)}");
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
