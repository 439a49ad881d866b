using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FetchAgent.Cli;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.Har;
using FetchAgent.TestServers;
using FetchAgent.Tests.Api;

namespace FetchAgent.Tests.Har;

/// <summary>HAR 1.2 from real page loads, checked by the npm har-validator and against HAR's timing rules.</summary>
public sealed class HarTests
{
    private static StaticOrigin MixedSite() => new StaticOrigin()
        .Add("/", SiteResource.Redirect(302, "/home?lang=en&q=a+b"))
        .Add("/home?lang=en&q=a+b", SiteResource.Html("<link rel=stylesheet href=/s.css><img src=/a.png><img src=/broken.png><img src=/moved.png>"))
        .Add("/s.css", SiteResource.Css("body { background: url(/bg.png) }"))
        .Add("/a.png", SiteResource.Image(900))
        .Add("/bg.png", SiteResource.Image(300))
        .Add("/moved.png", SiteResource.Redirect(301, "/a2.png"))
        .Add("/a2.png", SiteResource.Image(100))
        .Add("/broken.png", SiteResource.Hostile("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort"));

    private static async Task<List<PageLoadDocument>> RealLoadsAsync()
    {
        await using var site = MixedSite();
        await using var tls = new StaticOrigin(certificate: TestCertificates.Localhost).Add("/", SiteResource.Html("<img src=/t.png>")).Add("/t.png", SiteResource.Image(50));
        var loader = new PageLoader();
        var options = new LoadOptions { ObjectTimeoutMs = 5000 };
        int gonePort;
        await using (var gone = new StaticOrigin())
            gonePort = gone.Port;
        return
        [
            await loader.LoadAsync(site.Url("/"), options),
            await loader.LoadAsync(site.Url("/"), options with { Strategy = ConnectionStrategy.Serial }),
            await loader.LoadAsync(site.Url("/"), options with { Strategy = ConnectionStrategy.Pipelined }),
            await loader.LoadAsync(tls.Url("localhost", "/"), options with { Insecure = true }),
            await loader.LoadAsync(new Uri($"http://127.0.0.1:{gonePort}/"), options),
        ];
    }

    [Fact]
    public async Task Every_HAR_FetchAgent_writes_passes_har_validator()
    {
        var folder = Directory.CreateTempSubdirectory("fetchagent-har-").FullName;
        var files = new List<string>();
        foreach (var (document, index) in (await RealLoadsAsync()).Select((d, i) => (d, i)))
        {
            var file = Path.Combine(folder, $"load-{index}.har");
            await File.WriteAllTextAsync(file, JsonSerializer.Serialize(HarBuilder.Build(document), HarBuilder.Json));
            files.Add(file);
        }

        await HarValidator.AssertValidAsync(files);
    }

    [Fact]
    public async Task Entries_follow_HARs_rules_and_carry_what_the_document_knows()
    {
        var document = (await RealLoadsAsync())[0];
        var har = HarBuilder.Build(document).Log;

        Assert.Equal("1.2", har.Version);
        var page = Assert.Single(har.Pages);
        Assert.Equal(document.Metrics.DomContentLoadedMs, page.PageTimings.OnContentLoad);
        Assert.Equal(document.Metrics.OnLoadMs, page.PageTimings.OnLoad);
        Assert.Equal(document.Objects.Count, har.Entries.Count);
        foreach (var entry in har.Entries)
        {
            var t = entry.Timings;
            // HAR: time is the sum of the phases, -1 ones left out, ssl already inside connect.
            var sum = new[] { t.Blocked, t.Dns, t.Connect, t.Send, t.Wait, t.Receive }.Where(p => p >= 0).Sum();
            Assert.Equal(sum, entry.Time, 6);
            Assert.True(t.Ssl <= Math.Max(t.Connect, -1));
            Assert.Equal(HarBuilder.PageId, entry.Pageref);
        }

        var redirect = har.Entries.Single(e => e.Response.Status == 302);
        Assert.EndsWith("/home?lang=en&q=a+b", redirect.Response.RedirectURL);
        var home = har.Entries.Single(e => e.Request.Url.Contains("/home", StringComparison.Ordinal));
        Assert.Equal([new HarNameValue("lang", "en"), new HarNameValue("q", "a b")], home.Request.QueryString);
        Assert.Equal("127.0.0.1", home.ServerIPAddress);
        Assert.Contains(home.Request.Headers, h => h.Name == "User-Agent");
        Assert.True(home.Request.HeadersSize > 50);
        var broken = har.Entries.Single(e => e.Request.Url.EndsWith("/broken.png", StringComparison.Ordinal));
        Assert.Equal("truncated: 5 of 100 bytes", broken.Response.Error);
        Assert.Equal("truncated: 5 of 100 bytes", broken.FetchAgent.Error);
        Assert.Equal("image", broken.FetchAgent.Kind);
        // _discoveryMs: on the HTML document FetchAgent read for references, never on an image.
        Assert.Equal(document.Objects.Single(o => o.Url == home.Request.Url).DiscoveryMs, home.DiscoveryMs);
        Assert.True(home.DiscoveryMs is >= 0);
        Assert.Null(broken.DiscoveryMs);
        Assert.Null(redirect.DiscoveryMs);
        var connections = document.Connections.ToDictionary(c => c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.All(har.Entries.Where(e => e.Connection is not null), e => Assert.Equal(connections[e.Connection!].LocalPort, e.FetchAgent.LocalPort));
        Assert.Equal(
            har.Entries.Select(e => DateTimeOffset.Parse(e.StartedDateTime, System.Globalization.CultureInfo.InvariantCulture)).ToList(),
            har.Entries.Select(e => DateTimeOffset.Parse(e.StartedDateTime, System.Globalization.CultureInfo.InvariantCulture)).Order().ToList());

        var json = JsonSerializer.Serialize(HarBuilder.Build(document), HarBuilder.Json);
        Assert.Contains("\"serverIPAddress\"", json);
        Assert.Contains("\"redirectURL\"", json);
        Assert.Contains("\"_fetchAgent\"", json);
        Assert.Contains("\"_discoveryMs\"", json);
    }

    [Fact]
    public async Task The_API_and_the_CLI_export_the_same_HAR_shape()
    {
        await using var site = PageLoadsApiTests.Site();
        await using var daemon = await Api.Daemon.StartAsync();
        var created = await daemon.JsonAsync(await daemon.Client.PostAsJsonAsync("/api/page-loads", new { url = site.Url("/").AbsoluteUri }));
        var id = created.GetProperty("id").GetInt64();

        var response = await daemon.Client.GetAsync($"/api/page-loads/{id}/har");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var folder = Directory.CreateTempSubdirectory("fetchagent-har-api-").FullName;
        var fromApi = Path.Combine(folder, "api.har");
        await File.WriteAllTextAsync(fromApi, await response.Content.ReadAsStringAsync());
        var har = await daemon.JsonAsync(response);
        Assert.Equal("1.2", har.GetProperty("log").GetProperty("version").GetString());
        Assert.Equal(4, har.GetProperty("log").GetProperty("entries").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await daemon.Client.GetAsync("/api/page-loads/999999/har")).StatusCode);

        var file = Path.Combine(folder, "cli.har");
        var exit = await CommandLine.RunAsync(["load", site.Url("/").AbsoluteUri, "--har", file, "--no-color"], new StringWriter(), new StringWriter(), CancellationToken.None);
        Assert.Equal(0, exit);
        using var written = JsonDocument.Parse(await File.ReadAllTextAsync(file));
        Assert.Equal(4, written.RootElement.GetProperty("log").GetProperty("entries").GetArrayLength());
        await HarValidator.AssertValidAsync([fromApi, file]);
    }
}
