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
    }

    /// <param name="origin">Where to connect.</param>
    /// <param name="applicationProtocols">What TLS offers in ALPN, in order of preference: the caller's decision (the kinds of connection it can carry exchanges on).</param>
    /// <param name="cancellationToken">Stops the attempt.</param>
    /// <exception cref="NavigationException">A step failed; <see cref="NavigationException.Attempt"/> holds its readings.</exception>
    public async Task<Transport> OpenAsync(Origin origin, IReadOnlyList<SslApplicationProtocol> applicationProtocols, CancellationToken cancellationToken)
    {
        var attempt = new ConnectionAttempt();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(_options.ConnectTimeoutMs), _clock.TimeProvider);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        Socket? socket = null;
        try
        {
            var addresses = Allowed(await ResolveAsync(origin, attempt, deadline.Token).ConfigureAwait(false), origin.Port);
            socket = await TcpConnector.ConnectAsync(addresses, origin.Port, attempt, _clock.TimeProvider, deadline.Token).ConfigureAwait(false);
            // Nagle's algorithm (RFC 896) stays off unless a load asks for the chapter's demonstration of it.
            socket.NoDelay = !_options.Nagle;
            Stream stream = new NetworkStream(socket, ownsSocket: false);
            string? protocol = null;
            SslApplicationProtocol negotiated = default;
            if (origin.IsHttps)
            {
                // TLS starts where TCP ended: the two share their boundary, so connect = TCP + TLS exactly.
                attempt.TlsStart = attempt.ConnectEnd;
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
            };
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            socket?.Dispose();
            throw Fail(attempt, ErrorKind.Timeout, $"timeout: connect exceeded {_options.ConnectTimeoutMs} ms");
        }
        catch (NavigationException e)
        {
            socket?.Dispose();
            throw Fail(attempt, e.Kind, e.Message, e.InnerException);
        }
        catch
        {
            socket?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Step 2. The attempt carries DNS time only when it did the lookup; one that found the answer in the page's
    /// cache (or waited on another attempt's lookup that succeeded) has none. A lookup that fails is DNS time for
    /// every attempt that waited on it.
    /// </summary>
    private async Task<IPAddress[]> ResolveAsync(Origin origin, ConnectionAttempt attempt, CancellationToken cancellationToken)
    {
        if (!Hostname.TryParseLiteral(origin.Host, out _))
            attempt.DnsStart = _clock.Now();
        var answer = await _dns.ResolveAsync(origin.Host, cancellationToken).ConfigureAwait(false);
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
