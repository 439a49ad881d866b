using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace FetchAgent.TestServers;

/// <summary>
/// A small HTTP/1.1 origin on a real loopback socket that serves fixed resources and plays the
/// persistence behaviour a test asks for. Pipelined requests are answered in order.
/// </summary>
public sealed class StaticOrigin : IAsyncDisposable
{
    private readonly ScriptedServer _server;
    private readonly ConcurrentDictionary<string, SiteResource> _resources = new(StringComparer.Ordinal);
    private readonly PersistenceBehaviour _behaviour;

    private readonly X509Certificate2? _certificate;

    /// <param name="behaviour">How connections are kept or closed.</param>
    /// <param name="address">The loopback address to listen on (127.0.0.1 unless said).</param>
    /// <param name="certificate">Serve https with this certificate (see <see cref="TestCertificates"/>).</param>
    public StaticOrigin(PersistenceBehaviour? behaviour = null, IPAddress? address = null, X509Certificate2? certificate = null)
    {
        _behaviour = behaviour ?? PersistenceBehaviour.KeepAlive;
        _certificate = certificate;
        _server = new ScriptedServer(ServeAsync, address);
    }

    public string Origin => $"{(_certificate is null ? "http" : "https")}://{Host}:{Port}";

    private string Host => _server.EndPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{_server.EndPoint.Address}]" : _server.EndPoint.Address.ToString();
    public int Port => _server.Port;
    public Uri Url(string path) => new(Origin + path);

    /// <summary>The same resource on another host name of this origin (e.g. "localhost", to exercise DNS).</summary>
    public Uri Url(string host, string path) => new($"{(_certificate is null ? "http" : "https")}://{host}:{Port}{path}");
    public IReadOnlyCollection<ReceivedRequest> Requests => _server.Requests;
    public int ConnectionCount => _server.ConnectionCount;
    public int MaxConcurrentConnections => _server.MaxConcurrentConnections;

    /// <summary>Connections that ended with the client's FIN after a half-close (graceful close seen from the server).</summary>
    public int GracefulCloses => Volatile.Read(ref _gracefulCloses);

    private int _gracefulCloses;

    /// <summary>The SNI host name and ALPN protocol of the last TLS handshake.</summary>
    public string? ServerNameIndication { get; private set; }
    public string? NegotiatedProtocol { get; private set; }
    private int _pipelinedRequests;
    private int _dropped;

    /// <summary>Requests that were already waiting when the previous response on their connection was written.</summary>
    public int PipelinedRequestsSeen => Volatile.Read(ref _pipelinedRequests);

    /// <summary>Requests read and left unanswered by <see cref="PersistenceBehaviour.CloseOnRequestAfter"/>.</summary>
    public int DroppedRequests => Volatile.Read(ref _dropped);

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _requested = new(StringComparer.Ordinal);
    private int _holdsTimedOut;

    /// <summary>Completes when a request for <paramref name="target"/> has been read (event-driven holds, no sleeps).</summary>
    public Task WhenRequested(string target) => Requested(target).Task;

    /// <summary>Holds (<see cref="SiteResource.HoldAt"/>) whose release never came within 10 s.</summary>
    public int HoldsTimedOut => Volatile.Read(ref _holdsTimedOut);

    private TaskCompletionSource Requested(string target) =>
        _requested.GetOrAdd(target, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public StaticOrigin Add(string path, SiteResource resource)
    {
        _resources[path] = resource;
        return this;
    }

    private async Task ServeAsync(ServerConnection connection)
    {
        if (_certificate is not null)
        {
            var tls = new SslStream(connection.Stream, leaveInnerStreamOpen: true);
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = _certificate,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
            }, connection.Stopping).ConfigureAwait(false);
            connection.Stream = tls;
            ServerNameIndication = tls.TargetHostName;
            NegotiatedProtocol = tls.NegotiatedApplicationProtocol.ToString();
        }

        var answered = 0;
        while (true)
        {
            var request = await ReadNextAsync(connection).ConfigureAwait(false);
            if (request is null)
            {
                Interlocked.Increment(ref _gracefulCloses);
                return;
            }

            if (_behaviour.CloseOnRequestAfter is { } dropAfter && answered >= dropAfter)
            {
                Interlocked.Increment(ref _dropped);
                return;
            }

            answered++;
            Requested(request.Target).TrySetResult();
            var resource = _resources.TryGetValue(request.Target, out var found)
                ? found
                : new SiteResource("text/plain", Encoding.ASCII.GetBytes("not found")) { Status = 404, Reason = "Not Found" };
            if (resource.Delay > TimeSpan.Zero)
                await Task.Delay(resource.Delay, connection.Stopping).ConfigureAwait(false);
            if (resource.Raw is { } raw)
            {
                await connection.WriteAsync(raw).ConfigureAwait(false);
                connection.ShutdownSend();
                await connection.ReadToEndAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                return;
            }

            // A request already here before this response went out was pipelined behind this one.
            if (connection.RequestWaiting)
                Interlocked.Increment(ref _pipelinedRequests);
            var keep = KeepsConnection(request, answered);
            var response = Format(resource, request, keep, answered, out var holdAt);
            if (holdAt is { } at && resource.Release is { } release)
            {
                await connection.WriteAsync(response[..at]).ConfigureAwait(false);
                try
                {
                    await release.WaitAsync(TimeSpan.FromSeconds(10), connection.Stopping).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    Interlocked.Increment(ref _holdsTimedOut);
                }

                response = response[at..];
            }

            await connection.WriteAsync(response).ConfigureAwait(false);
            if (!keep)
            {
                // Wait for the client's FIN before ours: the connection counts as open here until
                // the client has let go of it, so the server's count is the client's count. Requests
                // pipelined behind this response are read (and logged) but never answered.
                await CountUnansweredAsync(connection).ConfigureAwait(false);
                return;
            }

            if (_behaviour.SilentCloseAfter is { } silent && answered >= silent)
                return;
        }
    }

    private int _unanswered;

    /// <summary>Requests read after a response that closed the connection: sent by the client, never answered.</summary>
    public int UnansweredRequests => Volatile.Read(ref _unanswered);

    /// <summary>Reads to the client's FIN (2 s at most), counting the requests it finds on the way.</summary>
    private async Task CountUnansweredAsync(ServerConnection connection)
    {
        var readToEnd = Task.Run(async () =>
        {
            while (await connection.ReadRequestAsync().ConfigureAwait(false) is not null)
                Interlocked.Increment(ref _unanswered);
        });
        await readToEnd.WaitAsync(TimeSpan.FromSeconds(2)).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
    }

    private async Task<ReceivedRequest?> ReadNextAsync(ServerConnection connection)
    {
        if (_behaviour.CloseIdleAfter is not { } idle)
            return await connection.ReadRequestAsync().ConfigureAwait(false);
        var read = connection.ReadRequestAsync();
        var first = await Task.WhenAny(read, Task.Delay(idle, connection.Stopping)).ConfigureAwait(false);
        return first == read ? await read.ConfigureAwait(false) : null;
    }

    private bool KeepsConnection(ReceivedRequest request, int answered)
    {
        if (string.Equals(request.Header("Connection"), "close", StringComparison.OrdinalIgnoreCase))
            return false;
        if (_behaviour.Http10)
            return _behaviour.Http10EchoesKeepAlive && string.Equals(request.Header("Connection"), "keep-alive", StringComparison.OrdinalIgnoreCase);
        if (_behaviour.MaxRequestsPerConnection is { } max && answered >= max)
            return false;
        if (_behaviour.KeepAliveMax is { } kaMax && answered > kaMax)
            return false;
        return true;
    }

    private byte[] Format(SiteResource resource, ReceivedRequest request, bool keep, int answered, out int? holdAt)
    {
        holdAt = null;
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"HTTP/{(_behaviour.Http10 ? "1.0" : "1.1")} {resource.Status} {resource.Reason}\r\n");
        head.Append(CultureInfo.InvariantCulture, $"Content-Type: {resource.ContentType}\r\n");
        foreach (var (name, value) in resource.Headers)
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        if (!keep)
            head.Append("Connection: close\r\n");
        else if (_behaviour.Http10)
            head.Append("Connection: keep-alive\r\n");
        if (keep && (_behaviour.KeepAliveTimeoutSeconds is not null || _behaviour.KeepAliveMax is not null))
        {
            var parameters = new List<string>();
            if (_behaviour.KeepAliveTimeoutSeconds is { } t)
                parameters.Add($"timeout={t}");
            if (_behaviour.KeepAliveMax is { } m)
                parameters.Add($"max={m - answered + 1}");
            head.Append(CultureInfo.InvariantCulture, $"Keep-Alive: {string.Join(", ", parameters)}\r\n");
        }

        var body = request.Method == "HEAD" ? [] : resource.Body;
        if (resource.Chunked)
        {
            head.Append("Transfer-Encoding: chunked\r\n\r\n");
            var chunked = new MemoryStream();
            chunked.Write(Encoding.ASCII.GetBytes(head.ToString()));
            // A hold falls between two chunks: the first part is whole chunks, the rest follows.
            var split = resource.HoldAt is { } hold ? Math.Min(hold, body.Length) : 0;
            if (resource.HoldAt is not null && split == 0)
                holdAt = (int)chunked.Length;
            var written = 0;
            foreach (var chunk in body[..split].Chunk(1000).Concat(body[split..].Chunk(1000)))
            {
                chunked.Write(Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n"));
                chunked.Write(chunk);
                chunked.Write("\r\n"u8);
                written += chunk.Length;
                if (resource.HoldAt is not null && holdAt is null && written >= split)
                    holdAt = (int)chunked.Length;
            }

            chunked.Write("0\r\n\r\n"u8);
            return chunked.ToArray();
        }

        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {resource.Body.Length}\r\n\r\n");
        var headBytes = Encoding.ASCII.GetBytes(head.ToString());
        if (resource.HoldAt is { } at)
            holdAt = headBytes.Length + Math.Min(at, body.Length);
        return [.. headBytes, .. body];
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
