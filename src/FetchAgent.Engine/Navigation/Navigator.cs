using FetchAgent.Engine.Emulation;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Navigation;

/// <summary>
/// The browser steps before HTTP, in the chapter's order: hostname, DNS, port, TCP connect, TLS.
/// Each step is stamped on the page's clock the moment it starts and ends (<see cref="ConnectionAttempt"/>);
/// the whole is bounded by the connect timeout. A failure is filed under the step that was running.
/// </summary>
public sealed class Navigator
{
    private readonly PageClock _clock;
    private readonly DnsCache _dns;
    private readonly LoadOptions _options;
    private readonly DestinationPolicy _destinations;

    public Navigator(PageClock clock, DnsCache dns, LoadOptions options, DestinationPolicy? destinations = null)
    {
        _clock = clock;
        _dns = dns;
        _options = options;
        _destinations = destinations ?? DestinationPolicy.AllowAll;
        // One emulated link per load (per navigator): its bandwidth is shared by the load's connections.
        _link = EmulatedNetwork.Of(options) is { } network ? new EmulatedLink(network, clock.TimeProvider) : null;
    }

    /// <summary>The load's emulated network (issue 13); null when it runs on the real one.</summary>
    private readonly EmulatedLink? _link;

    /// <summary>
    /// With an emulated network: the TCP handshake's emulated round trip (the connect ends one RTT after the real one),
    /// and the connection's bytes from here on cross the emulated network (<see cref="EmulatedStream"/>).
    /// </summary>
    private async Task<Stream> EmulateAsync(Stream stream, ConnectionAttempt attempt, CancellationToken cancellationToken)
    {
        if (_link is null)
            return stream;
        if (_link.Conditions.RttMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(_link.Conditions.RttMs), _clock.TimeProvider, cancellationToken).ConfigureAwait(false);
            attempt.ConnectEnd = _clock.Now();
        }

        return new EmulatedStream(stream, _link);
    }

    /// <param name="origin">Where to connect (with <see cref="Origin.Via"/>, through that proxy).</param>
    /// <param name="applicationProtocols">What TLS offers in ALPN, in order of preference: the caller's decision (the kinds of connection it can carry exchanges on).</param>
    /// <param name="cancellationToken">Stops the attempt.</param>
    /// <param name="proxy">The proxy of <paramref name="origin"/>'s <see cref="Origin.Via"/>: its authentication and fields; required with a Via.</param>
    /// <exception cref="NavigationException">A step failed; <see cref="NavigationException.Attempt"/> holds its readings.</exception>
    public async Task<Transport> OpenAsync(
        Origin origin, IReadOnlyList<SslApplicationProtocol> applicationProtocols, CancellationToken cancellationToken, ProxyHop? proxy = null)
    {
        var attempt = new ConnectionAttempt();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(_options.ConnectTimeoutMs), _clock.TimeProvider);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        Socket? socket = null;
        // Through a proxy the TCP connection goes to the proxy, and only there: the origin is the proxy's to reach.
        var (host, port) = origin.Via is { } via ? (via.Host, via.Port) : (origin.Host, origin.Port);
        try
        {
            var addresses = Allowed(await ResolveAsync(host, attempt, deadline.Token).ConfigureAwait(false), port);
            socket = await TcpConnector.ConnectAsync(addresses, port, attempt, _clock.TimeProvider, deadline.Token).ConfigureAwait(false);
            // Nagle's algorithm (RFC 896) stays off unless a load asks for the chapter's demonstration of it.
            socket.NoDelay = !_options.Nagle;
            Stream stream = await EmulateAsync(new NetworkStream(socket, ownsSocket: false), attempt, deadline.Token).ConfigureAwait(false);
            var tlsStart = attempt.ConnectEnd;
            if (origin.Via is not null && origin.IsHttps)
            {
                // RFC 9110 §9.3.6: a tunnel to the origin first; its exchange is a phase of its own, inside connect.
                attempt.ProxyStart = attempt.ConnectEnd;
                var outcome = await ProxyTunnel.OpenAsync(stream, origin, proxy!, deadline.Token).ConfigureAwait(false);
                if (outcome == ProxyTunnel.Outcome.Authenticate)
                {
                    // A proxy that challenges may close; the credentials go on a fresh connection, the whole inside this attempt.
                    await stream.DisposeAsync().ConfigureAwait(false);
                    socket.Dispose();
                    socket = await TcpConnector.ConnectAsync(addresses, port, attempt, _clock.TimeProvider, deadline.Token).ConfigureAwait(false);
                    stream = await EmulateAsync(new NetworkStream(socket, ownsSocket: false), attempt, deadline.Token).ConfigureAwait(false);
                    if (await ProxyTunnel.OpenAsync(stream, origin, proxy!, deadline.Token).ConfigureAwait(false) != ProxyTunnel.Outcome.Open)
                        throw new NavigationException(ErrorKind.Policy, $"proxy {origin.Via}: CONNECT refused the credentials");
                }

                attempt.ProxyEnd = _clock.Now();
                tlsStart = attempt.ProxyEnd;
            }

            string? protocol = null;
            SslApplicationProtocol negotiated = default;
            if (origin.IsHttps)
            {
                // TLS starts where TCP (or the tunnel) ended: they share their boundary, so connect = TCP + CONNECT + TLS exactly.
                attempt.TlsStart = tlsStart;
                var ssl = await TlsHandshake.AuthenticateAsync(stream, origin.Host, _options.Insecure, applicationProtocols, deadline.Token).ConfigureAwait(false);
                attempt.TlsEnd = _clock.Now();
                protocol = TlsHandshake.ProtocolName(ssl.SslProtocol);
                negotiated = ssl.NegotiatedApplicationProtocol;
                stream = ssl;
            }

            return new Transport
            {
                Socket = socket,
                Stream = stream,
                LocalEndPoint = Unmapped((IPEndPoint)socket.LocalEndPoint!),
                RemoteEndPoint = Unmapped((IPEndPoint)socket.RemoteEndPoint!),
                Attempt = attempt,
                TlsProtocol = protocol,
                ApplicationProtocol = negotiated,
                Proxy = origin.Via is null ? null : proxy,
            };
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            socket?.Dispose();
            throw Fail(attempt, ErrorKind.Timeout, $"timeout: connect exceeded {_options.ConnectTimeoutMs} ms" + ThroughProxy(origin));
        }
        catch (NavigationException e)
        {
            socket?.Dispose();
            var message = origin.Via is { } failedVia && !e.Message.StartsWith("proxy", StringComparison.Ordinal) && attempt.TlsStart is null
                ? $"proxy {failedVia}: {e.Message}"
                : e.Message;
            throw Fail(attempt, e.Kind, message, e.InnerException);
        }
        catch
        {
            socket?.Dispose();
            throw;
        }
    }

    private static string ThroughProxy(Origin origin) => origin.Via is { } via ? $" (through proxy {via})" : "";

    /// <summary>
    /// Step 2. The attempt carries DNS time only when it did the lookup; one that found the answer in the page's
    /// cache (or waited on another attempt's lookup that succeeded) has none. A lookup that fails is DNS time for
    /// every attempt that waited on it.
    /// </summary>
    private async Task<IPAddress[]> ResolveAsync(string host, ConnectionAttempt attempt, CancellationToken cancellationToken)
    {
        if (!Hostname.TryParseLiteral(host, out _))
            attempt.DnsStart = _clock.Now();
        var answer = await _dns.ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        if (answer.Lookup is { } lookup)
        {
            attempt.DnsStart = lookup.Start;
            attempt.DnsEnd = lookup.End;
        }
        else
        {
            attempt.DnsStart = null;
        }

        return answer.Addresses;
    }

    /// <summary>The addresses the destination policy lets this load reach; none is a failure before any packet is sent.</summary>
    private IPAddress[] Allowed(IPAddress[] addresses, int port)
    {
        if (!_destinations.BlocksPrivate)
            return addresses;
        var allowed = addresses.Where(a => _destinations.Refusal(a, port) is null).ToArray();
        if (allowed.Length == 0)
        {
            var refused = addresses[0];
            throw new NavigationException(ErrorKind.Policy, $"policy: destination not allowed ({Unmapped(new IPEndPoint(refused, port)).Address})");
        }

        return allowed;
    }

    private NavigationException Fail(ConnectionAttempt attempt, ErrorKind kind, string error, Exception? inner = null)
    {
        attempt.FailedAt = _clock.Now();
        attempt.Error = error;
        attempt.ErrorKind = kind;
        if (attempt.LocalEndPoint is { } local)
            attempt.LocalEndPoint = Unmapped(local);
        if (attempt.RemoteEndPoint is { } remote)
            attempt.RemoteEndPoint = Unmapped(remote);
        return new NavigationException(kind, error, attempt, inner);
    }

    private static IPEndPoint Unmapped(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;
}
