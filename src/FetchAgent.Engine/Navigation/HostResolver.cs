using System.Net;

namespace FetchAgent.Engine.Navigation;

/// <summary>
/// Step 2's resolver: the host's addresses, or a <see cref="System.Net.Sockets.SocketException"/> saying why not.
/// The system's resolver (getaddrinfo) unless a caller brings its own, as a browser may use its own DNS client.
/// </summary>
public delegate Task<IPAddress[]> HostResolver(string host, CancellationToken cancellationToken);

public static class HostResolvers
{
    public static HostResolver System { get; } = static (host, cancellationToken) => Dns.GetHostAddressesAsync(host, cancellationToken);
}
