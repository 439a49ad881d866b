using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FetchAgent.TestServers;
using static Microsoft.Playwright.Assertions;

namespace FetchAgent.Tests.Ui;

/// <summary>Issue 11's UI: a multiplexed load shows one row for its h2 connection, its streams overlapping, and says h2.</summary>
[Collection(BrowserCollection.Name)]
public sealed class MultiplexedViewTests(BrowserFixture browser)
{
    [Fact]
    public async Task One_h2_connection_row_carries_the_streams_overlapping_and_the_views_say_h2()
    {
        // nginx h2 over TLS holding each response 150 ms: the eight images, asked for at once, are in flight together.
        var files = new Dictionary<string, byte[]>
        {
            ["index.html"] = Encoding.UTF8.GetBytes("<!doctype html><title>h2</title><link rel=stylesheet href=/s.css>" + string.Concat(Enumerable.Range(0, 8).Select(i => $"<img src=/i{i}.png>"))),
            ["s.css"] = Encoding.UTF8.GetBytes("body { margin: 0 }"),
        };
        for (var i = 0; i < 8; i++)
            files[$"i{i}.png"] = new byte[2000 + i * 500];
        await using var nginx = await NginxOrigin.StartAsync(files, https: true, http2: true, delay: TimeSpan.FromMilliseconds(150));
        await using var daemon = await Api.Daemon.StartAsync();
        var response = await daemon.Client.PostAsJsonAsync("/api/page-loads", new { url = nginx.Url("/index.html").AbsoluteUri, strategy = "multiplexed", insecure = true });
        response.EnsureSuccessStatusCode();
        var doc = await daemon.JsonAsync(response);
        Assert.Equal("completed", doc.GetProperty("status").GetString());
        var connection = Assert.Single(doc.GetProperty("connections").EnumerateArray().ToList());
        Assert.Equal("h2", connection.GetProperty("protocol").GetString());
        var objects = doc.GetProperty("objects").EnumerateArray().ToList();
        Assert.Equal(10, objects.Count);
        Assert.All(objects, o => Assert.Equal("HTTP/2", o.GetProperty("httpVersion").GetString()));

        await using var watched = await browser.OpenAsync(daemon.Client.BaseAddress!);
        var page = watched.Page;
        await page.GotoAsync($"/page-loads/{doc.GetProperty("id")}");

        // One row, every object a box on it, in as many lanes as streams were in flight at once.
        var rows = page.Locator("[data-testid='connection-row']");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.Locator("[data-testid='connection-object']")).ToHaveCountAsync(10);
        var spans = objects
            .Select(o => (Start: o.GetProperty("startMs").GetDouble() + Math.Max(o.GetProperty("timings").GetProperty("blocked").GetDouble(), 0), End: o.GetProperty("endMs").GetDouble()))
            .ToList();
        var inFlight = spans.Max(s => spans.Count(t => t.Start <= s.Start && t.End > s.Start));
        Assert.True(inFlight >= 8, $"the eight delayed images should be in flight together, not {inFlight}");
        await Expect(rows).ToHaveAttributeAsync("data-lanes", inFlight.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var peak = connection.GetProperty("peakConcurrentStreams").GetInt32();
        await Expect(rows.Locator("[data-testid='connection-protocol']")).ToHaveTextAsync($"h2 · {peak} streams at once");
        // The boxes overlap in time on the screen: the images' boxes share one horizontal stretch.
        var boxes = await page.EvaluateAsync<string>("""
            () => JSON.stringify([...document.querySelectorAll('[data-testid="connection-object"]')].map(b => { const r = b.getBoundingClientRect(); return [r.left, r.right]; }))
            """);
        var placed = JsonSerializer.Deserialize<double[][]>(boxes)!;
        var overlapping = placed.Max(b => placed.Count(c => c[0] <= b[0] && c[1] > b[0]));
        Assert.True(overlapping >= 8, $"{overlapping} boxes overlap on screen");
        await page.Locator("[data-testid='connections']").ScrollIntoViewIfNeededAsync();
        await watched.ScreenshotAsync("page-load-multiplexed");

        // The waterfall's detail says HTTP/2 for an image; the HAR says h2, as Chrome's does.
        var image = objects.First(o => o.GetProperty("url").GetString()!.EndsWith("/i3.png", StringComparison.Ordinal));
        await page.Locator($"[data-testid='waterfall-row'][data-object-id='{image.GetProperty("id")}'] .wf-track").ClickAsync();
        var detail = page.Locator("[data-testid='object-detail']");
        await Expect(detail).ToBeVisibleAsync();
        await Expect(detail).ToContainTextAsync("HTTP/2");
        await watched.ScreenshotAsync("page-load-multiplexed-detail");
        var har = await daemon.Client.GetFromJsonAsync<JsonElement>($"/api/page-loads/{doc.GetProperty("id")}/har");
        var entries = har.GetProperty("log").GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(10, entries.Count);
        Assert.All(entries, e => Assert.Equal(("h2", "h2"), (e.GetProperty("request").GetProperty("httpVersion").GetString(), e.GetProperty("response").GetProperty("httpVersion").GetString())));
        watched.AssertNoErrors();
    }
}
