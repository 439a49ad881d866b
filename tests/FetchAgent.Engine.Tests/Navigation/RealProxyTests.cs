using System.Net;
using System.Text;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Navigation;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Navigation;

/// <summary>
/// Issue 12 against real proxies (Debian's squid and tinyproxy, installed by ./test.sh) and real nginx origins: what the
/// proxy's own log says it was asked, what the origins' logs say the proxy asked them, and that FetchAgent's sockets went
/// to the proxy alone.
/// </summary>
public sealed class RealProxyTests
{
    private static readonly string[] Images = ["a1.png", "a2.png", "a3.png"];

    /// <summary>A page on nginx at 127.0.0.1 with three images there and three on a second nginx at 127.0.0.2.</summary>
    private static async Task<(NginxOrigin A, NginxOrigin B)> TwoHostsAsync(bool https = false)
    {
        var image = new byte[400];
        var b = await NginxOrigin.StartAsync(
            Images.ToDictionary(i => i.Replace('a', 'b'), _ => image), listenAddress: IPAddress.Parse("127.0.0.2"), https: https);
        const string bHost = "127.0.0.2";
        var html = "<html><body>" + string.Concat(Images.Select(i => $"<img src=/{i}><img src={(https ? "https" : "http")}://{bHost}:{b.Port}/{i.Replace('a', 'b')}>")) + "</body></html>";
        var files = Images.ToDictionary(i => i, _ => image);
        files["index.html"] = Encoding.UTF8.GetBytes(html);
        var a = await NginxOrigin.StartAsync(files, https: https);
        return (a, b);
    }

    private static LoadOptions Through(RealProxy proxy) => Sites.Options() with { Proxy = proxy.Url, Insecure = true };

    /// <summary>squid's log without the readiness probe's line (a connection that sent nothing: method <c>-</c>).</summary>
    private static async Task<IReadOnlyList<string>> LogAsync(RealProxy proxy, Func<IReadOnlyList<string>, bool> complete)
    {
        IReadOnlyList<string> Requests() => [.. proxy.AccessLog().Where(l => l.Split(' ')[2] != "-")];

        // squid writes a CONNECT's line when its tunnel closes, just after FetchAgent closed it.
        for (var i = 0; i < 200 && !complete(Requests()); i++)
            await Task.Delay(25);
        return Requests();
    }

    [Fact]
    public async Task Squid_logs_every_object_of_a_two_host_http_page_and_the_origins_see_origin_form_from_the_proxy()
    {
        var (a, b) = await TwoHostsAsync();
        await using var _a = a;
        await using var _b = b;
        await using var squid = await RealProxy.SquidAsync();

        var page = await new PageLoader().LoadAsync(a.Url("/index.html"), Through(squid));

        Assert.Equal((PageLoadStatus.Completed, 7), (page.Status, page.Objects.Count(o => o.Status == 200)));
        var log = await LogAsync(squid, l => l.Count >= 7);
        // "client-ip client-port method URL status": every object, asked for by its absolute URL.
        Assert.Equal(page.Objects.Select(o => $"GET {o.Url} 200").Order(), log.Select(l => string.Join(' ', l.Split(' ')[2..5])).Order());
        // FetchAgent's sockets went to squid only, and squid's log names their ports.
        Assert.All(page.Connections, c => Assert.Equal((squid.Url, squid.Port), (c.Proxy, c.RemotePort)));
        Assert.Equal(page.Connections.Select(c => c.LocalPort.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(), log.Select(l => l.Split(' ')[1]).Distinct().Order());
        Assert.InRange(page.Connections.Count, 1, 2);
        // The origins were asked in origin-form, by squid (not from FetchAgent's ports).
        var originLines = a.AccessLog().Concat(b.AccessLog()).ToList();
        Assert.Equal(7, originLines.Count);
        Assert.All(originLines, l => Assert.Matches("\"GET /[ab]?[0-9a-z.]* HTTP/1.1\" 200$", l));
        Assert.Empty(originLines.Select(l => l.Split(' ')[0]).Intersect(page.Connections.Select(c => c.LocalPort.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        Assert.All(page.Objects, o => Assert.Contains(o.ResponseHeaders, h => h.Name == "Via" && h.Value.Contains("squid", StringComparison.Ordinal)));
        // The object records what the proxy added: its Via (squid names itself), and no Age (squid cached nothing).
        Assert.All(page.Objects, o => Assert.Equal(("1.1 fetchagent-test (squid", (long?)null), (o.Via![..26], o.Age)));
    }

    [Fact]
    public async Task A_caching_squid_answers_the_second_load_from_its_cache_with_an_Age_the_objects_record()
    {
        var image = new byte[400];
        var files = Images.ToDictionary(i => i, _ => image);
        files["index.html"] = Encoding.UTF8.GetBytes("<html><body>" + string.Concat(Images.Select(i => $"<img src=/{i}>")) + "</body></html>");
        await using var origin = await NginxOrigin.StartAsync(files, serverConfig: "location ~ \\.png$ { expires 1h; }");
        await using var squid = await RealProxy.SquidAsync(caching: true);

        var first = await new PageLoader().LoadAsync(origin.Url("/index.html"), Through(squid));
        await LogAsync(squid, l => l.Count >= 4); // squid has logged (and stored) every answer of the first load
        var second = await new PageLoader().LoadAsync(origin.Url("/index.html"), Through(squid));

        Assert.Equal((PageLoadStatus.Completed, PageLoadStatus.Completed), (first.Status, second.Status));
        Assert.All(first.Objects, o => Assert.Null(o.Age));
        // The images came from squid's cache: the origin saw them once, squid logged hits, and each carries squid's Age.
        var images = second.Objects.Where(o => o.Kind == ResourceKind.Image).ToList();
        Assert.Equal(3, images.Count);
        Assert.All(images, o => Assert.InRange(o.Age!.Value, 0, 60));
        Assert.All(images, o => Assert.Equal(o.ResponseHeaders.Single(h => h.Name == "Age").Value, o.Age!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(second.Objects, o => Assert.Contains("squid", o.Via!, StringComparison.Ordinal));
        Assert.Equal(3, origin.AccessLog().Count(l => l.Contains(".png", StringComparison.Ordinal)));
        var hits = (await LogAsync(squid, l => l.Count >= 8)).Where(l => l.Contains(".png", StringComparison.Ordinal) && l.Contains("HIT", StringComparison.Ordinal));
        Assert.Equal(3, hits.Count());
    }

    [Fact]
    public async Task Squid_carries_an_https_page_in_CONNECT_tunnels_one_per_connection()
    {
        var (a, b) = await TwoHostsAsync(https: true);
        await using var _a = a;
        await using var _b = b;
        await using var squid = await RealProxy.SquidAsync();

        var page = await new PageLoader().LoadAsync(new Uri($"https://localhost:{a.Port}/index.html"), Through(squid));

        Assert.Equal((PageLoadStatus.Completed, 7), (page.Status, page.Objects.Count(o => o.Status == 200)));
        var log = await LogAsync(squid, l => l.Count >= page.Connections.Count);
        Assert.Equal(
            page.Connections.Select(c => $"{c.LocalPort} CONNECT {c.Host}:{c.Port} 200").Order(),
            log.Select(l => string.Join(' ', l.Split(' ')[1..5])).Order());
        Assert.All(page.Connections, c => Assert.True(c.ProxyMs > 0 && c.SslMs > 0 && c.ProxyMs + c.SslMs <= c.ConnectMs + 1e-9, $"#{c.Id}"));
        Assert.Equal(2, page.Connections.Select(c => c.Port).Distinct().Count());
    }

    [Fact]
    public async Task Tinyproxy_asks_for_Basic_credentials_with_407_and_the_page_loads_with_them()
    {
        var (a, b) = await TwoHostsAsync();
        await using var _a = a;
        await using var _b = b;
        await using var tinyproxy = await RealProxy.TinyproxyAsync("alice", "s3cret");

        var without = await new PageLoader().LoadAsync(a.Url("/index.html"), Through(tinyproxy));
        var page = await new PageLoader().LoadAsync(a.Url("/index.html"), Through(tinyproxy), proxyUser: ProxyCredentials.Parse("alice:s3cret"));

        Assert.Equal(407, Assert.Single(without.Objects).Status);
        Assert.Contains(without.Objects[0].ResponseHeaders, h => h.Name == "Proxy-Authenticate" && h.Value.StartsWith("Basic", StringComparison.Ordinal));
        Assert.Equal((PageLoadStatus.Completed, 7), (page.Status, page.Objects.Count(o => o.Status == 200)));
        Assert.All(page.Objects, o => Assert.Contains(new HeaderRecord("Proxy-Authorization", "Basic ***"), o.RequestHeaders));
        // Every object reached the origins through tinyproxy; the document twice (the 407, then with credentials), and the
        // page without credentials once more.
        var requests = tinyproxy.AccessLog().Where(l => l.Contains("Request (file descriptor", StringComparison.Ordinal)).Select(l => l[(l.IndexOf("): ", StringComparison.Ordinal) + 3)..]).ToList();
        Assert.Equal(
            page.Objects.Select(o => $"GET {o.Url} HTTP/1.1").Append($"GET {page.Url} HTTP/1.1").Append($"GET {page.Url} HTTP/1.1").Order(),
            requests.Order());
        Assert.Equal(7, a.AccessLog().Count + b.AccessLog().Count);
    }
}
