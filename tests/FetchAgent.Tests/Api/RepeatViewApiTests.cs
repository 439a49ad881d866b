using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FetchAgent.TestServers;

namespace FetchAgent.Tests.Api;

/// <summary>Issue 15 end to end: <c>repeatView: true</c> in the REST body and <c>--repeat-view</c> on the command line.</summary>
public sealed class RepeatViewApiTests
{
    // StaticOrigin answers every request with its 200 (it ignores validators): the page is fetched again, the image
    // (fresh for an hour) comes from the cache.
    private static StaticOrigin Site() => new StaticOrigin()
        .Add("/", SiteResource.Html("<img src=/a.png>"))
        .Add("/a.png", SiteResource.Image(500) with { Headers = [("Cache-Control", "max-age=3600")] });

    private static (string Path, int Status, bool FromCache) Row(JsonElement o) =>
        (new Uri(o.GetProperty("url").GetString()!).AbsolutePath, o.GetProperty("status").GetInt32(), o.TryGetProperty("fromCache", out var c) && c.GetBoolean());

    [Fact]
    public async Task The_stored_document_carries_its_repeat_view_with_the_cached_image()
    {
        await using var site = Site();
        await using var daemon = await Daemon.StartAsync();

        var response = await daemon.Client.PostAsJsonAsync("/api/page-loads", new { url = site.Url("/").AbsoluteUri, repeatView = true });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await daemon.JsonAsync(response)).GetProperty("id").GetInt64();

        var stored = JsonDocument.Parse(await daemon.Client.GetStringAsync($"/api/page-loads/{id}")).RootElement;
        Assert.Equal([("/", 200, false), ("/a.png", 200, false)], stored.GetProperty("objects").EnumerateArray().Select(Row));
        var repeat = stored.GetProperty("repeatView");
        Assert.Equal([("/", 200, false), ("/a.png", 200, true)], repeat.GetProperty("objects").EnumerateArray().Select(Row));
        Assert.Equal(1, repeat.GetProperty("metrics").GetProperty("connectionCount").GetInt32());
        Assert.Equal(3, site.Requests.Count);

        // The list shows the load once.
        var list = JsonDocument.Parse(await daemon.Client.GetStringAsync("/api/page-loads")).RootElement;
        Assert.Equal([id], list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task The_command_line_prints_the_repeat_view_in_its_json()
    {
        await using var site = Site();
        var har = Path.Combine(Path.GetTempPath(), $"fetchagent-repeat-{Guid.NewGuid():N}.har");
        var (exit, stdout, stderr) = await Cli.Cli.Run(["load", site.Url("/").AbsoluteUri, "--repeat-view", "--json", "--har", har]);
        Assert.True(exit == 0, stderr);

        // HAR: a page per view, the repeat view's entries on pages[1], the cached one marked.
        await Har.HarValidator.AssertValidAsync([har]); // a cache entry's null side and its dates pass HAR's schema
        var log = JsonDocument.Parse(await File.ReadAllTextAsync(har)).RootElement.GetProperty("log");
        File.Delete(har);
        Assert.Equal(["page_1", "page_2"], log.GetProperty("pages").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.Equal(
            [("page_1", "/", false), ("page_1", "/a.png", false), ("page_2", "/", false), ("page_2", "/a.png", true)],
            log.GetProperty("entries").EnumerateArray().Select(e => (e.GetProperty("pageref").GetString(), new Uri(e.GetProperty("request").GetProperty("url").GetString()!).AbsolutePath,
                e.TryGetProperty("_fromCache", out var c) && c.GetBoolean())));
        // HAR 1.2 cache: the image was not in the cache before the first view and stored after it (no validator: eTag
        // ""); the repeat view found it there unused and left it with one hit.
        string? Side(JsonElement cache, string side) => cache.GetProperty(side) is { ValueKind: JsonValueKind.Object } e
            ? $"eTag={e.GetProperty("eTag").GetString()} hits={e.GetProperty("hitCount").GetInt32()}"
            : cache.GetProperty(side).ValueKind.ToString();
        var images = log.GetProperty("entries").EnumerateArray().Where(e => e.GetProperty("request").GetProperty("url").GetString()!.EndsWith("/a.png", StringComparison.Ordinal))
            .Select(e => e.GetProperty("cache")).Select(c => (Side(c, "beforeRequest"), Side(c, "afterRequest")));
        Assert.Equal([("Null", "eTag= hits=0"), ("eTag= hits=0", "eTag= hits=1")], images);
        var document = JsonDocument.Parse(stdout).RootElement;
        Assert.True(document.GetProperty("options").GetProperty("repeatView").GetBoolean());
        Assert.Equal([("/", 200, false), ("/a.png", 200, true)], document.GetProperty("repeatView").GetProperty("objects").EnumerateArray().Select(Row));
        // Without --json: the first view's waterfall, then the repeat view's under its heading.
        (exit, stdout, stderr) = await Cli.Cli.Run(["load", site.Url("/").AbsoluteUri, "--repeat-view", "--no-color"]);
        Assert.True(exit == 0, stderr);
        var heading = stdout.IndexOf("Repeat view (the HTTP cache the first view left): 1 from cache, 0 revalidated (304), 1 fetched\n", StringComparison.Ordinal);
        Assert.True(heading > 0, stdout);
        Assert.Equal(2, stdout.Split('\n').Count(l => l.Contains("/a.png", StringComparison.Ordinal)));
        Assert.Contains("/a.png", stdout[heading..], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_comparison_with_repeat_views_reports_each_strategy_per_view_in_the_api_and_the_table()
    {
        await using var site = Site();
        await using var daemon = await Daemon.StartAsync();
        var response = await daemon.Client.PostAsJsonAsync("/api/comparisons", new { url = site.Url("/").AbsoluteUri, strategies = new[] { "serial", "persistent" }, repeatView = true });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var comparison = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        // Every row carries its repeat view's figures, under the repeat view's own page load.
        foreach (var row in comparison.GetProperty("rows").EnumerateArray())
        {
            var loadId = row.GetProperty("pageLoadId").GetInt64();
            var repeat = row.GetProperty("repeatView");
            var stored = JsonDocument.Parse(await daemon.Client.GetStringAsync($"/api/page-loads/{loadId}")).RootElement.GetProperty("repeatView");
            Assert.Equal(stored.GetProperty("id").GetInt64(), repeat.GetProperty("pageLoadId").GetInt64());
            Assert.Equal(stored.GetProperty("metrics").GetProperty("actualMs").GetDouble(), repeat.GetProperty("actualMs").GetDouble());
            Assert.Equal(1, repeat.GetProperty("connectionCount").GetInt32()); // the page again; the image from the cache
        }

        // The summary per strategy has the same per view: a repeat view's median is its own run's.
        var summaries = comparison.GetProperty("summary").EnumerateArray().ToList();
        Assert.Equal(["serial", "persistent"], summaries.Select(s => s.GetProperty("strategy").GetString()));
        foreach (var summary in summaries)
        {
            var row = comparison.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("strategy").GetString() == summary.GetProperty("strategy").GetString());
            Assert.Equal(
                (1, row.GetProperty("repeatView").GetProperty("pageLoadId").GetInt64(), row.GetProperty("repeatView").GetProperty("actualMs").GetDouble()),
                (summary.GetProperty("repeatView").GetProperty("runs").GetInt32(), summary.GetProperty("repeatView").GetProperty("medianPageLoadId").GetInt64(),
                 summary.GetProperty("repeatView").GetProperty("medianActualMs").GetDouble()));
        }

        // The command line's table: a row per strategy and view, the repeat view under its first view.
        var (exit, stdout, stderr) = await Cli.Cli.Run(["compare", site.Url("/").AbsoluteUri, "--strategies", "serial,persistent", "--repeat-view", "--no-color"]);
        Assert.True(exit == 0, stderr);
        var strategies = stdout.Split('\n').Select(l => l.Split("  ")[0].Trim())
            .Where(c => c.StartsWith("serial", StringComparison.Ordinal) || c.StartsWith("persistent", StringComparison.Ordinal)).ToList();
        Assert.Equal(["serial", "serial · repeat view", "persistent", "persistent · repeat view"], strategies);
        Assert.Contains("repeat view actual (onLoad): no clear winner (one run each shows no spread; use --runs 5)", stdout, StringComparison.Ordinal);

        // Without a repeat view nothing changes: no repeat rows, no repeatView fields.
        (exit, stdout, _) = await Cli.Cli.Run(["compare", site.Url("/").AbsoluteUri, "--strategies", "serial,persistent", "--no-color"]);
        Assert.Equal(0, exit);
        Assert.DoesNotContain("repeat view", stdout, StringComparison.Ordinal);
        var plain = await daemon.Client.PostAsJsonAsync("/api/comparisons", new { url = site.Url("/").AbsoluteUri, strategies = new[] { "serial" } });
        Assert.DoesNotContain("repeatView", await plain.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
