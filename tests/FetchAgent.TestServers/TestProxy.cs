using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FetchAgent.TestServers;

/// <summary>How a <see cref="TestProxy"/> behaves.</summary>
public enum TestProxyMode
{
    /// <summary>A forward proxy: absolute-form requests relayed to the origin in origin-form (a new origin connection per request), CONNECT tunnels.</summary>
    Forward,

    /// <summary>
    /// The chapter's dumb proxy (HTTP: The Definitive Guide §4.5.6): reads the first request, relays its bytes blindly (its
    /// <c>Connection: keep-alive</c> too) to the origin, relays the origin's bytes back until the origin closes, and never
    /// reads another request from the client.
    /// </summary>
    Dumb,

    /// <summary>Answers every request, CONNECT included, with 403 Forbidden.</summary>
    Forbidden,

    /// <summary>Forwards http, but answers CONNECT with 403 (as squid does for a port not in its SSL_ports).</summary>
    RefuseConnect,
}

/// <summary>
/// An HTTP proxy on a free loopback port, written for the tests: it logs every request line it receives and the client
/// port it came from, may ask for Basic credentials (407), and plays the behaviours of <see cref="TestProxyMode"/>.
/// Responses to the client carry <c>Via: 1.1 testproxy</c>.
/// </summary>
public sealed class TestProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<(int ClientPort, string RequestLine, string? Authorization, string? ProxyConnection)> _log = new();
    private readonly ConcurrentBag<Socket> _sockets = [];
    private readonly Task _accepting;
    private int _connections;

    /// <param name="mode">What it does with requests.</param>
    /// <param name="credentials"><c>user:pass</c> it asks for with 407 (Basic); none when null.</param>
    public TestProxy(TestProxyMode mode = TestProxyMode.Forward, string? credentials = null)
    {
        Mode = mode;
        Credentials = credentials;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public TestProxyMode Mode { get; }

    public string? Credentials { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>Client connections accepted so far.</summary>
    public int ConnectionCount => Volatile.Read(ref _connections);

    /// <summary>Every request line received, in order, with the client's port and its Proxy-Authorization and Proxy-Connection fields.</summary>
    public IReadOnlyList<(int ClientPort, string RequestLine, string? Authorization, string? ProxyConnection)> Log => [.. _log];

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _sockets.Add(client);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        var clientPort = ((IPEndPoint)client.RemoteEndPoint!).Port;
        using var stream = new NetworkStream(client, ownsSocket: true);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var head = await ReadHeadAsync(stream, _stop.Token);
                if (head is null)
                    return;
                var lines = head.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
                var fields = lines.Skip(1).Select(l => (Name: l[..l.IndexOf(':')], Value: l[(l.IndexOf(':') + 1)..].Trim())).ToList();
                string? Field(string name) => fields.FirstOrDefault(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
                _log.Enqueue((clientPort, lines[0], Field("Proxy-Authorization"), Field("Proxy-Connection")));
                var parts = lines[0].Split(' ');
                var (method, target) = (parts[0], parts[1]);

                if (Mode == TestProxyMode.Forbidden || (Mode == TestProxyMode.RefuseConnect && method == "CONNECT"))
                {
                    await WriteAsync(stream, "HTTP/1.1 403 Forbidden\r\nVia: 1.1 testproxy\r\nContent-Length: 9\r\nContent-Type: text/plain\r\n\r\nforbidden");
                    continue;
                }

                if (Credentials is not null && Field("Proxy-Authorization") != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Credentials)))
                {
                    // As tinyproxy does: the challenge, then the connection is closed.
                    await WriteAsync(stream, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"testproxy\"\r\nVia: 1.1 testproxy\r\nContent-Length: 4\r\nConnection: close\r\n\r\nauth");
                    return;
                }

                if (method == "CONNECT")
                {
                    await TunnelAsync(stream, target);
                    return;
                }

                var url = new Uri(target);
                if (Mode == TestProxyMode.Dumb)
                {
                    await RelayBlindlyAsync(stream, url, head);
                    return;
                }

                if (!await ForwardAsync(stream, method, url, fields))
                    return;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>RFC 9110 §7.6.1: the hop-by-hop fields stay here; the origin gets origin-form and its own Host.</summary>
    private static async Task<bool> ForwardAsync(NetworkStream client, string method, Uri url, List<(string Name, string Value)> fields)
    {
        var hopByHop = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authorization", "TE", "Trailer", "Upgrade" };
        var request = new StringBuilder($"{method} {url.PathAndQuery} HTTP/1.1\r\n");
        foreach (var (name, value) in fields.Where(f => !hopByHop.Contains(f.Name)))
            request.Append(name).Append(": ").Append(value).Append("\r\n");
        request.Append("Connection: close\r\nVia: 1.1 testproxy\r\n\r\n");

        using var origin = new TcpClient();
        await origin.ConnectAsync(url.Host, url.Port);
        var upstream = origin.GetStream();
        await upstream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()));
        var response = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            // To the origin's close (some close with a reset after a Connection: close response: what came is kept).
            int read;
            while ((read = await upstream.ReadAsync(buffer)) > 0)
                response.Write(buffer, 0, read);
        }
        catch (IOException)
        {
        }

        var bytes = response.ToArray();
        var end = IndexOfHeadEnd(bytes);
        if (end < 0)
            return false;
        var head = Encoding.Latin1.GetString(bytes, 0, end).Split("\r\n");
        var rewritten = new StringBuilder(head[0]).Append("\r\n");
        foreach (var line in head.Skip(1).Where(l => !hopByHop.Contains(l[..l.IndexOf(':')])))
            rewritten.Append(line).Append("\r\n");
        rewritten.Append("Via: 1.1 testproxy\r\n\r\n");
        await client.WriteAsync(Encoding.Latin1.GetBytes(rewritten.ToString()));
        await client.WriteAsync(bytes.AsMemory(end + 4));
        return true;
    }

    private static async Task RelayBlindlyAsync(NetworkStream client, Uri url, string head)
    {
        using var origin = new TcpClient();
        await origin.ConnectAsync(url.Host, url.Port);
        var upstream = origin.GetStream();
        // The request line in origin-form, everything else as it came: Connection: keep-alive included.
        var firstLine = head.IndexOf("\r\n", StringComparison.Ordinal);
        var method = head[..head.IndexOf(' ')];
        await upstream.WriteAsync(Encoding.Latin1.GetBytes($"{method} {url.PathAndQuery} HTTP/1.1" + head[firstLine..]));
        // Relays until the origin closes, and reads nothing more from the client: a second request waits forever.
        await upstream.CopyToAsync(client);
    }

    private static async Task TunnelAsync(NetworkStream client, string authority)
    {
        var colon = authority.LastIndexOf(':');
        using var origin = new TcpClient();
        try
        {
            await origin.ConnectAsync(authority[..colon].Trim('[', ']'), int.Parse(authority[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (SocketException)
        {
            await WriteAsync(client, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
            return;
        }

        await WriteAsync(client, "HTTP/1.1 200 Connection established\r\nVia: 1.1 testproxy\r\n\r\n");
        var upstream = origin.GetStream();
        var up = client.CopyToAsync(upstream);
        var down = upstream.CopyToAsync(client);
        await Task.WhenAny(up, down);
    }

    private static Task WriteAsync(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    private static async Task<string?> ReadHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
                return null;
            bytes.Add(one[0]);
            if (bytes.Count >= 4 && bytes[^1] == '\n' && bytes[^2] == '\r' && bytes[^3] == '\n' && bytes[^4] == '\r')
                return Encoding.Latin1.GetString([.. bytes]);
        }
    }

    private static int IndexOfHeadEnd(byte[] bytes)
    {
        for (var i = 0; i + 3 < bytes.Length; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
                return i;
        }

        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var socket in _sockets)
            socket.Dispose();
        try
        {
            await _accepting;
        }
        catch (Exception)
        {
        }

        _stop.Dispose();
    }
}
