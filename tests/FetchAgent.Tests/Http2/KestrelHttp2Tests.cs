using System.Collections.Concurrent;
using System.Net;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace FetchAgent.Tests.Http2;

/// <summary>
/// Issue 11 against Kestrel with HTTP/2 only (no HTTP/1.1 to fall back on), in process: over TLS (ALPN h2) and over h2c
/// with prior knowledge. Kestrel's own view of each request (its protocol and connection id) is checked beside ours.
/// </summary>
public sealed class KestrelHttp2Tests
{
    private sealed record Seen(string Protocol, string ConnectionId, string Path);

    private static async Task<(WebApplication App, int Port, ConcurrentQueue<Seen> Seen)> StartAsync(bool tls)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            if (tls)
                listen.UseHttps(TestCertificates.Localhost);
        }));
        var app = builder.Build();
        var seen = new ConcurrentQueue<Seen>();
        app.Use(async (context, next) =>
        {
            seen.Enqueue(new Seen(context.Request.Protocol, context.Connection.Id, context.Request.Path));
            await next();
        });
        app.MapGet("/", () => Results.Content(
            "<!doctype html><link rel=stylesheet href=/s.css>" + string.Concat(Enumerable.Range(0, 8).Select(i => $"<img src=/i{i}.png>")), "text/html"));
        app.MapGet("/s.css", () => Results.Content("body { margin: 0 }", "text/css"));
        app.MapGet("/i{n:int}.png", (int n) => Results.Bytes(new byte[1000 + n], "image/png"));
        await app.StartAsync();
        var port = new Uri(app.Urls.First()).Port;
        return (app, port, seen);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Every_request_is_a_stream_on_one_HTTP_2_connection_to_Kestrel(bool tls)
    {
        var (app, port, seen) = await StartAsync(tls);
        await using var _ = app;
        var options = new LoadOptions { Strategy = ConnectionStrategy.Multiplexed, Insecure = true, Http2PriorKnowledge = !tls };
        var page = await new PageLoader().LoadAsync(new Uri($"{(tls ? "https" : "http")}://127.0.0.1:{port}/"), options);

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.Equal(10, page.Objects.Count);
        Assert.All(page.Objects, o => Assert.Equal((200, "HTTP/2", (string?)null), (o.Status ?? 0, o.HttpVersion, o.Error)));
        Assert.Equal(1007, page.Objects.Single(o => o.Url.EndsWith("/i7.png", StringComparison.Ordinal)).BodyBytes);
        var connection = Assert.Single(page.Connections);
        Assert.Equal("h2", connection.Protocol);
        Assert.Equal(tls ? "TLSv1.3" : null, connection.TlsProtocol);
        // Kestrel's default stream limit, as its SETTINGS said.
        Assert.Equal(100, connection.PeerSettings!["SETTINGS_MAX_CONCURRENT_STREAMS"]);
        Assert.Equal(10, seen.Count);
        Assert.All(seen, s => Assert.Equal("HTTP/2", s.Protocol));
        Assert.Single(seen.Select(s => s.ConnectionId).Distinct());
    }
}
