using System.Net.Http.Json;
using System.Text.Json;
using FetchAgent.TestServers;

namespace FetchAgent.Tests.Ui;

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}

/// <summary>A real loopback site with what a waterfall must show: redirects, a stylesheet and its image, a script, images, a truncated one.</summary>
internal static class UiSite
{
    public const string TruncatedError = "truncated";

    public static StaticOrigin Create(TimeSpan imageDelay) => new StaticOrigin()
        .Add("/", SiteResource.Redirect(301, "/start"))
        .Add("/start", SiteResource.Redirect(302, "/page"))
        .Add("/page", SiteResource.Html(
            "<!doctype html><html><head><title>UI site</title><link rel=stylesheet href=/s.css><script src=/app.js></script></head>" +
            "<body><h1>Hello</h1><img src=/a.png><img src=/b.png><img src=/c.png><img src=/broken.png></body></html>"))
        .Add("/s.css", SiteResource.Css("body { background: url(/bg.png) }"))
        .Add("/bg.png", SiteResource.Image(3000))
        .Add("/app.js", SiteResource.Script("var loaded = true;"))
        .Add("/a.png", SiteResource.Image(20_000) with { Delay = imageDelay })
        .Add("/b.png", SiteResource.Image(8000) with { Delay = imageDelay })
        .Add("/c.png", SiteResource.Image(40_000) with { Delay = imageDelay })
        // Promises 100 bytes, sends 5, closes: the object fails with a truncation error.
        .Add("/broken.png", SiteResource.Hostile("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort"));

    public static async Task<JsonElement> LoadAsync(Api.Daemon daemon, StaticOrigin site, string strategy = "persistent", int connections = 2)
    {
        var response = await daemon.Client.PostAsJsonAsync("/api/page-loads", new { url = site.Url("/").AbsoluteUri, strategy, maxConnectionsPerHost = connections });
        response.EnsureSuccessStatusCode();
        return await daemon.JsonAsync(response);
    }

    /// <summary>The phases the waterfall draws for an object, in order: those that happened, connect without ssl.</summary>
    public static List<string> DrawnPhases(JsonElement record)
    {
        var t = record.GetProperty("timings");
        double D(string name) => t.GetProperty(name).GetDouble();
        var ssl = Math.Max(D("ssl"), 0);
        (string Name, double Ms)[] phases =
        [
            ("blocked", D("blocked")), ("dns", D("dns")), ("connect", D("connect") > 0 ? D("connect") - ssl : 0), ("ssl", ssl),
            ("send", D("send")), ("wait", D("wait")), ("receive", D("receive")),
        ];
        return [.. phases.Where(p => p.Ms > 0).Select(p => p.Name)];
    }

    /// <summary>Chromium logs every non-2xx fetch; tests that provoke one on purpose allow exactly that status.</summary>
    public static Func<string, bool> ResourceStatus(int status) =>
        error => error.Contains($"the server responded with a status of {status}", StringComparison.Ordinal);
}
