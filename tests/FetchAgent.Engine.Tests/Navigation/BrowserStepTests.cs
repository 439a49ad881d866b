using System.Net;
using System.Net.Sockets;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Navigation;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Navigation;

/// <summary>The chapter's first steps: hostname, port, and the TCP connection.</summary>
public sealed class BrowserStepTests
{
    [Theory]
    [InlineData("http://Bücher.Example/x", "xn--bcher-kva.example", 80)]
    [InlineData("https://EXAMPLE.test/", "example.test", 443)]
    [InlineData("http://127.0.0.1:8080/", "127.0.0.1", 8080)]
    [InlineData("http://[::1]:8443/a", "::1", 8443)]
    [InlineData("https://[2001:db8::1]/", "2001:db8::1", 443)]
    public void Hostname_and_port_are_extracted_as_DNS_and_sockets_want_them(string url, string host, int port)
    {
        var origin = Origin.From(new Uri(url));
        Assert.Equal(host, origin.Host);
        Assert.Equal(port, origin.Port);
    }

    [Fact]
    public async Task Each_resolved_address_is_tried_in_turn_and_Nagle_is_off()
    {
        await using var server = new ScriptedServer(c => c.ReadToEndAsync(TimeSpan.FromSeconds(5)));
        // Nothing listens on 127.0.0.2 at this port: refused, then 127.0.0.1 answers.
        using var socket = await TcpConnector.ConnectAsync([IPAddress.Parse("127.0.0.2"), IPAddress.Loopback], server.Port, CancellationToken.None);

        Assert.Equal(IPAddress.Loopback, ((IPEndPoint)socket.RemoteEndPoint!).Address);
        Assert.True(socket.NoDelay);
        Assert.Equal(1, (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.NoDelay)!);
    }

    [Fact]
    public async Task When_every_address_refuses_the_error_names_each()
    {
        await using var server = new ScriptedServer(_ => Task.CompletedTask);
        var port = server.Port;
        await server.DisposeAsync();
        var error = await Assert.ThrowsAsync<NavigationException>(() => TcpConnector.ConnectAsync([IPAddress.Parse("127.0.0.2"), IPAddress.Loopback], port, CancellationToken.None));

        Assert.Equal($"connect: 127.0.0.2:{port} connection refused; 127.0.0.1:{port} connection refused", error.Message);
    }

    [Fact]
    public async Task An_IPv6_literal_origin_loads()
    {
        await using var site = new StaticOrigin(address: IPAddress.IPv6Loopback).Add("/", SiteResource.Html("<img src=/a.png>")).Add("/a.png", SiteResource.Image(10));
        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options());

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.Equal("::1", page.Connections[0].Host);
        Assert.Equal("::1", page.Connections[0].RemoteAddress);
        Assert.Equal($"[::1]:{site.Port}", site.Requests.First().Header("Host"));
        Assert.Equal(-1, page.Objects[0].Timings.Dns); // a literal needs no lookup
    }

    [Fact]
    public async Task Requests_carry_the_headers_a_browser_sends()
    {
        await using var site = Sites.WithImages(1);
        await new PageLoader().LoadAsync(site.Url("/"), Sites.Options());

        var document = site.Requests.First();
        Assert.Equal(("GET", "/", "HTTP/1.1"), (document.Method, document.Target, document.Version));
        Assert.Equal($"127.0.0.1:{site.Port}", document.Header("Host"));
        Assert.StartsWith("FetchAgent/", document.Header("User-Agent"));
        Assert.StartsWith("text/html", document.Header("Accept"));
        Assert.Equal("gzip, deflate, br", document.Header("Accept-Encoding"));
        Assert.Equal("keep-alive", document.Header("Connection"));
        Assert.StartsWith("text/css", site.Requests.Single(r => r.Target == "/style.css").Header("Accept"));
    }

    [Fact]
    public async Task Render_blocking_stylesheets_and_parser_blocking_scripts_are_requested_first()
    {
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Html("""
                <html><head><script src=/async.js async></script></head>
                <body><img src=/a.png><link rel=stylesheet href=/late.css><link rel=stylesheet href=/print.css media=print>
                <script src=/blocking.js></script><img src=/b.png></body></html>
                """));
        foreach (var path in new[] { "/async.js", "/a.png", "/late.css", "/print.css", "/blocking.js", "/b.png" })
            site.Add(path, SiteResource.Image(10));
        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options(perHost: 1));

        // The blocking ones are issued first, and late.css takes the free connection. Everything after a.png is late in the
        // document (Blink's ResourceFetcher): blocking.js and print.css at Medium beside the two images (not small in
        // their markup, among the first five: BoostImagePriority), first come first served; the async script, Low, last.
        Assert.Equal(["/", "/late.css", "/blocking.js", "/a.png", "/print.css", "/b.png", "/async.js"], site.Requests.Select(r => r.Target));
        Assert.Equal(["Medium", "Medium", "Medium", "Medium", "Low"], new[] { "/blocking.js", "/a.png", "/print.css", "/b.png", "/async.js" }
            .Select(path => page.Objects.Single(o => o.Url.EndsWith(path, StringComparison.Ordinal)).Priority));
        Assert.True(page.Objects.Single(o => o.Url.EndsWith("/blocking.js", StringComparison.Ordinal)).ParserBlocking);
        Assert.False(page.Objects.Single(o => o.Url.EndsWith("/print.css", StringComparison.Ordinal)).RenderBlocking);
    }
}
