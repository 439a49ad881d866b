using System.Net;
using System.Text.Json;
using FetchAgent.Engine.Connections;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Navigation;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Navigation;

/// <summary>
/// Issue 12: loads through <see cref="TestProxy"/>, a real proxy on loopback written for the tests (squid and tinyproxy
/// are in FetchAgent.Tests' RealProxyTests): absolute-form and pooling per proxy for http, a CONNECT tunnel per connection
/// for https with its own phase, 407 answered once, the dumb proxy, and a proxy that refuses or is not there.
/// </summary>
public sealed class ProxyTests
{
    private static LoadOptions Through(TestProxy proxy, int perHost = 2) => Sites.Options(perHost: perHost) with { Proxy = proxy.Url };

    /// <summary>A page on 127.0.0.1 with three images there and three on 127.0.0.2.</summary>
    private static async Task<(StaticOrigin A, StaticOrigin B)> TwoHostsAsync(bool https = false)
    {
        var certificate = https ? TestCertificates.Localhost : null;
        var b = new StaticOrigin(address: IPAddress.Parse("127.0.0.2"), certificate: certificate);
        var a = new StaticOrigin(certificate: certificate);
        var html = "<html><body>" + string.Concat(Enumerable.Range(1, 3).Select(i => $"<img src=/a{i}.png><img src={b.Origin}/b{i}.png>")) + "</body></html>";
        a.Add("/", SiteResource.Html(html));
        for (var i = 1; i <= 3; i++)
        {
            a.Add($"/a{i}.png", SiteResource.Image(500));
            b.Add($"/b{i}.png", SiteResource.Image(500));
        }

        await Task.CompletedTask;
        return (a, b);
    }

    [Fact]
    public async Task Http_goes_to_the_proxy_in_absolute_form_on_at_most_N_connections_to_the_proxy_and_the_origins_see_origin_form()
    {
        var (a, b) = await TwoHostsAsync();
        await using var _a = a;
        await using var _b = b;
        await using var proxy = new TestProxy();

        var page = await new PageLoader().LoadAsync(a.Url("/"), Through(proxy));

        Assert.Equal((PageLoadStatus.Completed, null), (page.Status, page.Error));
        Assert.Equal(7, page.Objects.Count(o => o.Status == 200));
        // Every request line the proxy saw names its origin: RFC 9112 §3.2.2's absolute-form.
        var expected = new[] { a.Url("/").AbsoluteUri }
            .Concat(Enumerable.Range(1, 3).SelectMany(i => new[] { a.Url($"/a{i}.png").AbsoluteUri, b.Url($"/b{i}.png").AbsoluteUri }))
            .Select(u => $"GET {u} HTTP/1.1").Order();
        Assert.Equal(expected, proxy.Log.Select(l => l.RequestLine).Order());
        Assert.Equal(["/", "/a1.png", "/a2.png", "/a3.png"], a.Requests.Select(r => r.Target).Order());
        Assert.Equal(["/b1.png", "/b2.png", "/b3.png"], b.Requests.Select(r => r.Target).Order());

        // One pool for the proxy: two hosts, yet at most two connections, all to the proxy, and the proxy's log
        // names their local ports. Reused as the proxy allowed.
        Assert.InRange(page.Connections.Count, 1, 2);
        Assert.Equal(page.Connections.Count, proxy.ConnectionCount);
        Assert.All(page.Connections, c => Assert.Equal((proxy.Url, "127.0.0.1", proxy.Port, "http"), (c.Proxy, c.RemoteAddress, c.RemotePort, c.Scheme)));
        Assert.Equal(page.Connections.Select(c => c.LocalPort).Order(), proxy.Log.Select(l => l.ClientPort).Distinct().Order());
        Assert.Equal(7 - page.Connections.Count, page.Objects.Count(o => o.ReusedConnection));
        // The origins never met FetchAgent's sockets: only the proxy's.
        Assert.Empty(a.Requests.Select(r => r.RemotePort).Concat(b.Requests.Select(r => r.RemotePort)).Intersect(page.Connections.Select(c => c.LocalPort)));
        Assert.All(page.Objects, o => Assert.Contains(o.ResponseHeaders, h => h.Name == "Via" && h.Value == "1.1 testproxy"));
        Assert.All(page.Objects, o => Assert.Equal(-1, o.Timings.Proxy));
        Assert.All(proxy.Log, l => Assert.Null(l.ProxyConnection));
    }

    [Fact]
    public async Task Https_goes_through_one_CONNECT_tunnel_per_connection_and_the_CONNECT_is_a_phase_inside_connect()
    {
        var (a, b) = await TwoHostsAsync(https: true);
        await using var _a = a;
        await using var _b = b;
        await using var proxy = new TestProxy();
        var options = Through(proxy) with { Insecure = true };

        var page = await new PageLoader().LoadAsync(a.Url("localhost", "/"), options);

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.Equal(7, page.Objects.Count(o => o.Status == 200));
        // A tunnel per connection, to the origin it reached; the 4-tuple is the proxy's.
        Assert.Equal(page.Connections.Count, proxy.Log.Count);
        Assert.Equal(
            page.Connections.Select(c => $"CONNECT {(c.Host == "localhost" ? "localhost" : "127.0.0.2")}:{c.Port} HTTP/1.1").Order(),
            proxy.Log.Select(l => l.RequestLine).Order());
        Assert.All(page.Connections, c =>
        {
            Assert.Equal((proxy.Url, proxy.Port, "https"), (c.Proxy, c.RemotePort, c.Scheme));
            Assert.True(c.ProxyMs >= 0 && c.SslMs >= 0 && c.ProxyMs + c.SslMs <= c.ConnectMs + 1e-9, $"proxy {c.ProxyMs} ssl {c.SslMs} connect {c.ConnectMs}");
        });
        Assert.Equal(2, page.Connections.Select(c => c.Host).Distinct().Count());
        foreach (var o in page.Objects)
        {
            var t = o.Timings;
            if (o.ReusedConnection)
            {
                Assert.Equal((-1.0, -1.0), (t.Proxy, t.Ssl));
                continue;
            }

            // Inside connect, as ssl is: the phases still add up to time, HAR's rule.
            Assert.True(t.Proxy >= 0 && t.Proxy + t.Ssl <= t.Connect + 1e-9, $"{o.Url}: proxy {t.Proxy} ssl {t.Ssl} connect {t.Connect}");
            Assert.Equal(o.Time, t.Total, 6);
        }
    }

    [Fact]
    public async Task A_407_is_answered_once_with_Basic_credentials_and_they_are_never_in_the_document()
    {
        await using var site = Sites.WithImages(2);
        await using var proxy = new TestProxy(credentials: "alice:s3cret");
        var token = "Basic " + Convert.ToBase64String("alice:s3cret"u8.ToArray());

        var page = await new PageLoader().LoadAsync(site.Url("/"), Through(proxy, perHost: 1), proxyUser: ProxyCredentials.Parse("alice:s3cret"));

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.All(page.Objects, o => Assert.Equal(200, o.Status));
        // The first request went without; the 407 was answered once with the same request; every later one carried it at once.
        var log = proxy.Log;
        Assert.Null(log[0].Authorization);
        Assert.Equal(page.Objects.Count + 1, log.Count);
        Assert.All(log.Skip(1), l => Assert.Equal(token, l.Authorization));
        Assert.Equal(log[0].RequestLine, log[1].RequestLine);
        Assert.All(page.Objects, o => Assert.Contains(new HeaderRecord("Proxy-Authorization", "Basic ***"), o.RequestHeaders));
        var json = JsonSerializer.Serialize(page, DocumentJson.Options);
        Assert.DoesNotContain("s3cret", json, StringComparison.Ordinal);
        Assert.DoesNotContain(token[6..], json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_407_on_CONNECT_is_answered_on_a_new_connection_to_the_proxy()
    {
        await using var site = new StaticOrigin(certificate: TestCertificates.Localhost).Add("/", SiteResource.Html("<p>hi"));
        await using var proxy = new TestProxy(credentials: "alice:s3cret");

        var page = await new PageLoader().LoadAsync(site.Url("localhost", "/"), Through(proxy) with { Insecure = true }, proxyUser: ProxyCredentials.Parse("alice:s3cret"));

        Assert.Equal(200, Assert.Single(page.Objects).Status);
        Assert.Equal([null, "Basic YWxpY2U6czNjcmV0"], proxy.Log.Select(l => l.Authorization));
        Assert.Equal(2, proxy.ConnectionCount);
        Assert.Single(page.Connections);
    }

    [Fact]
    public async Task Without_credentials_a_407_is_the_http_objects_response_and_a_policy_error_for_a_tunnel()
    {
        await using var tls = new StaticOrigin(certificate: TestCertificates.Localhost).Add("/", SiteResource.Html("<p>hi"));
        await using var site = new StaticOrigin().Add("/", SiteResource.Html("<p>hi"));
        await using var proxy = new TestProxy(credentials: "alice:s3cret");

        var http = await new PageLoader().LoadAsync(site.Url("/"), Through(proxy));
        var https = await new PageLoader().LoadAsync(tls.Url("localhost", "/"), Through(proxy) with { Insecure = true });

        Assert.Equal((407, null), (Assert.Single(http.Objects).Status, http.Objects[0].Error));
        var tunnelled = Assert.Single(https.Objects);
        Assert.Equal(
            ($"proxy {proxy.Url}: CONNECT localhost:{tls.Port} refused with 407 Proxy Authentication Required (no --proxy-user given)", ErrorKind.Policy),
            (tunnelled.Error, tunnelled.ErrorKind));
        Assert.Equal(PageLoadStatus.Failed, https.Status);
        Assert.Empty(site.Requests);
        Assert.Empty(tls.Requests);
    }

    [Fact]
    public async Task A_proxy_that_refuses_CONNECT_fails_the_https_object_with_policy_and_the_page_load_goes_on()
    {
        await using var tls = new StaticOrigin(certificate: TestCertificates.Localhost).Add("/x.png", SiteResource.Image(10));
        await using var site = new StaticOrigin().Add("/", SiteResource.Html($"<img src={tls.Url("localhost", "/x.png")}><img src=/y.png>")).Add("/y.png", SiteResource.Image(10));
        await using var proxy = new TestProxy(TestProxyMode.RefuseConnect);

        var page = await new PageLoader().LoadAsync(site.Url("/"), Through(proxy) with { Insecure = true });

        Assert.Equal(PageLoadStatus.Partial, page.Status);
        var x = page.Objects.Single(o => o.Url.EndsWith("/x.png", StringComparison.Ordinal));
        Assert.Equal(($"proxy {proxy.Url}: CONNECT localhost:{tls.Port} refused with 403 Forbidden", ErrorKind.Policy), (x.Error, x.ErrorKind));
        Assert.True(x.Timings.Proxy >= 0, "the refused CONNECT is proxy time");
        Assert.Equal(200, page.Objects.Single(o => o.Url.EndsWith("/y.png", StringComparison.Ordinal)).Status);
        var failed = page.Connections.Single(c => c.Id == x.ConnectionId);
        Assert.Equal((CloseReason.Error, ErrorKind.Policy, proxy.Url), (failed.CloseReason, failed.ErrorKind, failed.Proxy));
    }

    [Fact]
    public async Task A_proxy_that_forbids_answers_http_with_its_403_and_every_object_says_so()
    {
        await using var site = Sites.WithImages(2);
        await using var proxy = new TestProxy(TestProxyMode.Forbidden);

        var page = await new PageLoader().LoadAsync(site.Url("/"), Through(proxy));

        var document = Assert.Single(page.Objects);
        Assert.Equal(403, document.Status);
        Assert.Contains(new HeaderRecord("Via", "1.1 testproxy"), document.ResponseHeaders);
        Assert.Empty(site.Requests);
    }

    [Fact]
    public async Task A_proxy_that_is_down_fails_each_object_with_refused_naming_the_proxy()
    {
        await using var site = Sites.WithImages(1);
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options() with { Proxy = $"http://127.0.0.1:{port}" });

        Assert.Equal(PageLoadStatus.Failed, page.Status);
        var document = Assert.Single(page.Objects);
        Assert.Equal(ErrorKind.Refused, document.ErrorKind);
        Assert.StartsWith($"proxy http://127.0.0.1:{port}: connect: ", document.Error, StringComparison.Ordinal);
        Assert.Empty(site.Requests);
    }

    /// <summary>
    /// HTTP: The Definitive Guide §4.5.6: the dumb proxy passes on our Connection: keep-alive, the origin keeps the
    /// connection, we reuse it, and the proxy, waiting for the origin to close, never passes the second request on.
    /// </summary>
    [Fact]
    public async Task A_dumb_proxy_does_not_hang_the_load_the_reused_request_ends_at_its_deadline_naming_the_likely_cause()
    {
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Html("<img src=/a.png>"))
            .Add("/a.png", SiteResource.Image(100));
        await using var proxy = new TestProxy(TestProxyMode.Dumb);
        var options = Through(proxy, perHost: 1) with { ObjectTimeoutMs = 1_500 };

        var page = await new PageLoader().LoadAsync(site.Url("/"), options);

        // Partial, not hung: the load went on past the object that could not be answered.
        Assert.Equal(PageLoadStatus.Partial, page.Status);
        var image = page.Objects.Single(o => o.Url.EndsWith("/a.png", StringComparison.Ordinal));
        // On the document's connection, the one the proxy is still relaying for the origin; it is retired, not reused again.
        Assert.Equal(CloseReason.Error, Assert.Single(page.Connections).CloseReason);
        Assert.Equal((TransactionRunner.DumbProxyText, ErrorKind.Timeout), (image.Error, image.ErrorKind));
        // The proxy relayed our keep-alive: the origin saw the document's request only.
        Assert.Equal("keep-alive", Assert.Single(site.Requests).Header("Connection"));
    }

    [Fact]
    public async Task Proxy_Connection_is_sent_only_when_asked_for()
    {
        await using var site = Sites.WithImages(1);
        await using var proxy = new TestProxy();

        await new PageLoader().LoadAsync(site.Url("/"), Through(proxy) with { ProxyConnectionHeader = true });

        Assert.All(proxy.Log, l => Assert.Equal("keep-alive", l.ProxyConnection));
        Assert.Equal(3, proxy.Log.Count);
    }

    [Fact]
    public async Task A_host_in_noproxy_goes_direct_and_an_empty_proxy_turns_the_environments_off()
    {
        await using var site = Sites.WithImages(1);
        await using var proxy = new TestProxy();
        var environment = new ProxyEnvironment(proxy.Url, proxy.Url, null, null);

        var bypassed = await new PageLoader(proxyEnvironment: environment).LoadAsync(site.Url("/"), Sites.Options() with { Noproxy = "127.0.0.1" });
        var off = await new PageLoader(proxyEnvironment: environment).LoadAsync(site.Url("/"), Sites.Options() with { Proxy = "" });
        var fromEnvironment = await new PageLoader(proxyEnvironment: environment).LoadAsync(site.Url("/"), Sites.Options());

        Assert.All(bypassed.Connections.Concat(off.Connections), c => Assert.Null(c.Proxy));
        Assert.All(fromEnvironment.Connections, c => Assert.Equal(proxy.Url, c.Proxy));
        Assert.Equal(3, proxy.Log.Count);
    }
}
