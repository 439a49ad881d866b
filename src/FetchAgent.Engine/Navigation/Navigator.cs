using System.Net;
using System.Net.Sockets;

namespace FetchAgent.Engine.Navigation;

/// <summary>
/// The browser steps before HTTP, in the chapter's order: hostname, DNS, port, TCP connect, TLS.
/// Each step is timed on the page's clock; the whole is bounded by the connect timeout.
/// </summary>
public sealed class Navigator
{
    private readonly PageClock _clock;
    private readonly DnsCache _dns;
    private readonly LoadOptions _options;

    public Navigator(PageClock clock, DnsCache dns, LoadOptions options)
    {
        _clock = clock;
        _dns = dns;
        _options = options;
    }

    public async Task<Transport> OpenAsync(Origin origin, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(_options.ConnectTimeoutMs), _clock.TimeProvider);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        Socket? socket = null;
        try
        {
            var answer = await _dns.ResolveAsync(origin.Host, deadline.Token).ConfigureAwait(false);
            var connectStart = _clock.Now();
            socket = await TcpConnector.ConnectAsync(answer.Addresses, origin.Port, deadline.Token).ConfigureAwait(false);
            Stream stream = new NetworkStream(socket, ownsSocket: false);
            PhaseSpan? tls = null;
            string? protocol = null;
            if (origin.IsHttps)
            {
                var tlsStart = _clock.Now();
                var ssl = await TlsHandshake.AuthenticateAsync(stream, origin.Host, _options.Insecure, deadline.Token).ConfigureAwait(false);
                tls = new PhaseSpan(tlsStart, _clock.Now());
                protocol = TlsHandshake.ProtocolName(ssl.SslProtocol);
                stream = ssl;
            }

            return new Transport
            {
                Socket = socket,
                Stream = stream,
                LocalEndPoint = Unmapped((IPEndPoint)socket.LocalEndPoint!),
                RemoteEndPoint = Unmapped((IPEndPoint)socket.RemoteEndPoint!),
                Dns = answer.Lookup,
                ConnectStart = connectStart,
                Ready = _clock.Now(),
                Tls = tls,
                TlsProtocol = protocol,
            };
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            socket?.Dispose();
            throw new NavigationException($"timeout: connect exceeded {_options.ConnectTimeoutMs} ms");
        }
        catch
        {
            socket?.Dispose();
            throw;
        }
    }

    private static IPEndPoint Unmapped(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;
}
