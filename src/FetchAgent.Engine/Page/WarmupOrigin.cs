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
    /// <summary>A body that spans many reads (the reader's awaits suspend in it, as they do on a real image).</summary>
    private const int BigBody = 96 * 1024;

    /// <summary>The page, gzipped once: every load of the warm-up asks for it.</summary>
    private readonly byte[] _page;
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
        // An absolute URL with a port (the URL parser's authority path), class lists, end tags of blocks, and a big image.
        _page = Gzip(Encoding.UTF8.GetBytes(
            "<!doctype html><html><head><meta charset=utf-8><title>warm-up</title><base href=/>"
            + "<link rel=stylesheet href=s.css><link rel=preload as=font href=f.woff2 crossorigin><script src=a.js></script>"
            + "<style>@import 'i.css'; body { background: url(c.png) } .x .y { background: url(g.png) }</style></head><body style=\"background:url(d.png)\">"
            + "<img src=b.png srcset=\"b.png 1x, b2.png 2x\" alt=''><picture><source srcset=e.png><img src=e.png></picture>"
            + $"<img src=\"{Url("/abs.png").AbsoluteUri}\"><link rel=stylesheet href=\"{Url("/abs.css").AbsoluteUri}\"><img src=big.png>\n<div class=\"x y\">\n<p class=y>text</p>\n</div>\n"
            + "<iframe src=frame.html></iframe><video poster=p.png></video><script src=m.js type=module></script>"
            + string.Concat(Enumerable.Repeat("<p>warm-up text to make the document span reads</p>", 60))
            + "</body></html>"));
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
                var conditional = false;
                while (await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false) is { Length: > 0 } field)
                {
                    close |= field.Equals("Connection: close", StringComparison.OrdinalIgnoreCase);
                    conditional |= field.StartsWith("If-None-Match:", StringComparison.OrdinalIgnoreCase);
                }

                var path = requestLine.Split(' ') is [_, var target, ..] ? target : "/";
                // The repeat view's revalidation: 304 for a request that carries the validator (RFC 9110 §13.1.2).
                var response = conditional ? Head("304 Not Modified", $"ETag: \"w\"\r\nCache-Control: max-age=0\r\n{Keep(close)}", []) : Respond(path, close);
                if (path == "/big.png" && !conditional)
                {
                    // The head first, then the body in parts: the reader's body loop awaits between them.
                    var split = response.Length - BigBody;
                    await stream.WriteAsync(response.AsMemory(0, split), _stop.Token).ConfigureAwait(false);
                    await stream.FlushAsync(_stop.Token).ConfigureAwait(false);
                    for (var at = split; at < response.Length; at += 32 * 1024)
                    {
                        await Task.Delay(1, _stop.Token).ConfigureAwait(false);
                        await stream.WriteAsync(response.AsMemory(at, Math.Min(32 * 1024, response.Length - at)), _stop.Token).ConfigureAwait(false);
                    }
                }
                else
                {
                    await stream.WriteAsync(response, _stop.Token).ConfigureAwait(false);
                }

                if (close)
                    break;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
        {
            // A client that gave up (the validating handshake refuses our certificate): nothing to do.
        }
    }

    private static string Keep(bool close) => close ? "Connection: close\r\n" : "Keep-Alive: timeout=5, max=100\r\n";

    private byte[] Respond(string path, bool close)
    {
        var connection = Keep(close);
        return path switch
        {
            "/r" => Head("302 Found", $"Location: /\r\nContent-Length: 0\r\n{connection}", []),
            "/" or "/frame.html" => Chunked("text/html; charset=utf-8", _page, connection),
            // Cacheable answers for the repeat view: one fresh for a minute, one stale with a validator.
            "/a.js" => Head("200 OK", $"Content-Type: text/javascript\r\nCache-Control: max-age=60\r\nContent-Length: {{0}}\r\n{connection}", "void 0;"u8.ToArray()),
            "/big.png" => Head("200 OK", $"Content-Type: image/png\r\nDate: {DateTimeOffset.UtcNow:R}\r\nLast-Modified: Mon, 02 Nov 2026 10:00:00 GMT\r\nETag: \"w\"\r\nCache-Control: max-age=0\r\nContent-Length: {{0}}\r\n{connection}", new byte[BigBody]),
            "/s.css" => Head("200 OK", $"Content-Type: text/css\r\nContent-Length: {{0}}\r\n{connection}",
                "@import url(\"i.css\") screen; @font-face { font-family: w; src: url(f.woff2) format('woff2') } .x { background-image: url('c.png') }"u8.ToArray()),
            "/i.css" => Head("200 OK", $"Content-Type: text/css; charset=utf-8\r\nContent-Length: {{0}}\r\n{connection}", "a { color: red }"u8.ToArray()),
            "/m.js" => Head("200 OK", $"Content-Type: text/javascript\r\nContent-Length: {{0}}\r\n{connection}", "void 0;"u8.ToArray()),
            _ => Head("200 OK", $"Content-Type: image/png\r\nContent-Length: {{0}}\r\n{connection}", new byte[300]),
        };
    }

    /// <summary>A response: <paramref name="fields"/>' <c>{0}</c>, if any, is the body's length.</summary>
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
