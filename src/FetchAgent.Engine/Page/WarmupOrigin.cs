using System.IO.Compression;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace FetchAgent.Engine.Page;

/// <summary>
/// A tiny HTTP/1.1 origin on 127.0.0.1 inside the process, for <see cref="ProcessWarmup"/> only: it serves one page
/// whose answers take every path a real load takes (a redirect, a chunked gzip document, Keep-Alive parameters,
/// a stylesheet with <c>@import</c> and <c>url()</c>, Content-Length bodies), over http and, with a throwaway
/// self-signed certificate, https. Nothing leaves the machine.
/// </summary>
internal sealed class WarmupOrigin : IAsyncDisposable
{
    private static readonly byte[] Page = Encoding.UTF8.GetBytes(
        "<!doctype html><html><head><meta charset=utf-8><title>warm-up</title><base href=/>"
        + "<link rel=stylesheet href=s.css><link rel=preload as=font href=f.woff2 crossorigin><script src=a.js></script>"
        + "<style>@import 'i.css'; body { background: url(c.png) }</style></head><body style=\"background:url(d.png)\">"
        + "<img src=b.png srcset=\"b.png 1x, b2.png 2x\" alt=''><picture><source srcset=e.png><img src=e.png></picture>"
        + "<iframe src=frame.html></iframe><video poster=p.png></video><script src=m.js type=module></script>"
        + string.Concat(Enumerable.Repeat("<p>warm-up text to make the document span reads</p>", 60))
        + "</body></html>");

    private readonly TcpListener _listener;
    private readonly X509Certificate2 _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly bool _https;

    public WarmupOrigin(bool https)
    {
        _https = https;
        _certificate = https ? SelfSigned() : null!;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public Uri Url(string path) => new($"{(_https ? "https" : "http")}://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}{path}");

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        try
        {
            // Stop() between one accept and the next makes the next call throw InvalidOperationException ("Not
            // listening") before it looks at the token: the loop checks the token first, and the catch takes that too.
            while (!_stop.IsCancellationRequested)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
                connections.Add(ServeAsync(socket));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Stopped.
        }

        await Task.WhenAll(connections).ConfigureAwait(false);
    }

    private async Task ServeAsync(Socket socket)
    {
        try
        {
            await using var network = new NetworkStream(socket, ownsSocket: true);
            Stream stream = network;
            if (_https)
            {
                var ssl = new SslStream(network, leaveInnerStreamOpen: false);
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = _certificate,
                    ApplicationProtocols = [SslApplicationProtocol.Http11],
                }, _stop.Token).ConfigureAwait(false);
                stream = ssl;
            }

            var reader = new StreamReader(stream, Encoding.Latin1, false, 1024, leaveOpen: true);
            while (await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false) is { } requestLine)
            {
                var close = false;
                while (await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false) is { Length: > 0 } field)
                    close |= field.Equals("Connection: close", StringComparison.OrdinalIgnoreCase);
                var path = requestLine.Split(' ') is [_, var target, ..] ? target : "/";
                await stream.WriteAsync(Respond(path, close), _stop.Token).ConfigureAwait(false);
                if (close)
                    break;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
        {
            // A client that gave up (the validating handshake refuses our certificate): nothing to do.
        }
    }

    private static byte[] Respond(string path, bool close)
    {
        var connection = close ? "Connection: close\r\n" : "Keep-Alive: timeout=5, max=100\r\n";
        return path switch
        {
            "/r" => Head("302 Found", $"Location: /\r\nContent-Length: 0\r\n{connection}", []),
            "/" or "/frame.html" => Chunked("text/html; charset=utf-8", Gzip(Page), connection),
            "/s.css" => Head("200 OK", $"Content-Type: text/css\r\nContent-Length: {{0}}\r\n{connection}",
                "@import url(\"i.css\") screen; @font-face { font-family: w; src: url(f.woff2) format('woff2') } .x { background-image: url('c.png') }"u8.ToArray()),
            "/i.css" => Head("200 OK", $"Content-Type: text/css; charset=utf-8\r\nContent-Length: {{0}}\r\n{connection}", "a { color: red }"u8.ToArray()),
            "/a.js" or "/m.js" => Head("200 OK", $"Content-Type: text/javascript\r\nContent-Length: {{0}}\r\n{connection}", "void 0;"u8.ToArray()),
            _ => Head("200 OK", $"Content-Type: image/png\r\nContent-Length: {{0}}\r\n{connection}", new byte[300]),
        };
    }

    private static byte[] Head(string status, string fields, byte[] body)
    {
        var head = Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\n{string.Format(System.Globalization.CultureInfo.InvariantCulture, fields, body.Length)}\r\n");
        return [.. head, .. body];
    }

    private static byte[] Chunked(string type, byte[] body, string connection)
    {
        using var output = new MemoryStream();
        output.Write(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: {type}\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n{connection}\r\n"));
        for (var at = 0; at < body.Length; at += 512)
        {
            var length = Math.Min(512, body.Length - at);
            output.Write(Encoding.ASCII.GetBytes($"{length:x};ext=1\r\n"));
            output.Write(body, at, length);
            output.Write("\r\n"u8);
        }

        output.Write("0\r\nX-Trailer: 1\r\n\r\n"u8);
        return output.ToArray();
    }

    private static byte[] Gzip(byte[] body)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
            gzip.Write(body);
        return output.ToArray();
    }

    /// <summary>A throwaway P-256 certificate: quick to make, and no client trusts it (which is the point of one warm-up).</summary>
    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=fetchagent-warm-up", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(1));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        _stop.Dispose();
        _certificate?.Dispose();
    }
}
