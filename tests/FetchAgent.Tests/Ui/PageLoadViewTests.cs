using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FetchAgent.Tests.Ui;

[Collection(BrowserCollection.Name)]
public sealed class PageLoadViewTests(BrowserFixture browser)
{
    private static readonly string[] PhaseOrder = ["blocked", "dns", "connect", "ssl", "send", "wait", "receive"];
    private static readonly string[] MarkerKeys = ["ttfb", "start-render", "dom-content-loaded", "speed-index", "on-load"];

    [Fact]
    public async Task The_waterfall_draws_every_object_in_id_order_with_its_phases_left_to_right()
    {
        await using var site = UiSite.Create(TimeSpan.FromMilliseconds(40));
        await using var daemon = await Api.Daemon.StartAsync();
        var doc = await UiSite.LoadAsync(daemon, site);
        var objects = doc.GetProperty("objects").EnumerateArray().ToList();
        await using var watched = await browser.OpenAsync(daemon.Client.BaseAddress!);
        var page = watched.Page;

        await page.GotoAsync($"/page-loads/{doc.GetProperty("id")}");
        await Expect(page.Locator("[data-marker='on-load']")).ToHaveCountAsync(1);
        await watched.ScreenshotAsync("page-load");

        var rows = JsonDocument.Parse(await page.EvaluateAsync<string>("""
            () => JSON.stringify([...document.querySelectorAll('[data-testid="waterfall-row"]')].map(row => ({
              id: Number(row.dataset.objectId),
              failed: row.dataset.failed === 'true',
              error: row.querySelector('[data-testid="object-error"]')?.textContent ?? null,
              segments: [...row.querySelectorAll('[data-phase]')].map(s => {
                const box = s.getBoundingClientRect();
                return { phase: s.dataset.phase, x: box.x, right: box.right, width: box.width };
              }),
            })))
            """)).RootElement.EnumerateArray().ToList();

        Assert.Equal(objects.Select(o => o.GetProperty("id").GetInt32()), rows.Select(r => r.GetProperty("id").GetInt32()));
        // Two redirects, the page, the stylesheet and its image, the script, four images.
        Assert.Equal(10, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var record = objects[i];
            var segments = rows[i].GetProperty("segments").EnumerateArray().ToList();
            var phases = segments.Select(s => s.GetProperty("phase").GetString()!).ToList();
            var expected = UiSite.DrawnPhases(record);
            if (expected.Count == 0 && record.GetProperty("error").ValueKind == JsonValueKind.String)
                expected = ["failed"];
            Assert.Equal(expected, phases);
            Assert.Equal(phases, phases.OrderBy(p => Array.IndexOf(PhaseOrder, p)));
            for (var s = 1; s < segments.Count; s++)
            {
                // Each phase starts where the one before it ends (1 px of slack for the minimum width of a sliver).
                var before = segments[s - 1];
                var x = segments[s].GetProperty("x").GetDouble();
                Assert.True(x >= before.GetProperty("x").GetDouble(), $"object {record.GetProperty("id")}: {phases[s]} starts left of {phases[s - 1]}");
                Assert.True(x >= before.GetProperty("right").GetDouble() - 1.5, $"object {record.GetProperty("id")}: {phases[s]} overlaps {phases[s - 1]}");
            }
        }

        // FetchAgent's own discovery: a labelled mark after the bar on exactly the objects that carry discoveryMs, and in the legend.
        var discovered = objects.Where(o => o.TryGetProperty("discoveryMs", out var d) && d.ValueKind == JsonValueKind.Number).Select(o => o.GetProperty("id").GetInt32()).ToList();
        Assert.NotEmpty(discovered);
        await Expect(page.Locator("[data-testid='discovery-mark']")).ToHaveCountAsync(discovered.Count);
        foreach (var id in discovered)
            await Expect(page.Locator($"[data-testid='waterfall-row'][data-object-id='{id}'] [data-testid='discovery-mark']")).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("^parse "));
        await Expect(page.Locator(".legend")).ToContainTextAsync("Parse (FetchAgent's discovery)");

        watched.AssertNoErrors();
    }

    [Fact]
    public async Task The_failed_object_is_red_with_its_error_and_the_markers_and_connections_are_drawn()
    {
        await using var site = UiSite.Create(TimeSpan.FromMilliseconds(40));
        await using var daemon = await Api.Daemon.StartAsync();
        var doc = await UiSite.LoadAsync(daemon, site);
        await using var watched = await browser.OpenAsync(daemon.Client.BaseAddress!);
        var page = watched.Page;

        await page.GotoAsync($"/page-loads/{doc.GetProperty("id")}");
        await Expect(page.Locator("[data-marker='on-load']")).ToHaveCountAsync(1);

        var failed = doc.GetProperty("objects").EnumerateArray().Single(o => o.GetProperty("error").ValueKind == JsonValueKind.String);
        Assert.Contains(UiSite.TruncatedError, failed.GetProperty("error").GetString());
        var failedRow = page.Locator($"[data-testid='waterfall-row'][data-object-id='{failed.GetProperty("id")}']");
        await Expect(failedRow).ToHaveAttributeAsync("data-failed", "true");
        await Expect(failedRow).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bfailed\b"));
        await Expect(failedRow.Locator("[data-testid='object-error']")).ToHaveTextAsync(failed.GetProperty("error").GetString()!);
        await Expect(page.Locator("[data-testid='waterfall-row'][data-failed='true']")).ToHaveCountAsync(1);

        // The five markers, each where its metric says on the shared axis: onLoad at the end of the last bar.
        var metrics = doc.GetProperty("metrics");
        foreach (var key in MarkerKeys)
            await Expect(page.Locator($"[data-marker='{key}']")).ToHaveCountAsync(1);
        var track = (await page.Locator("[data-testid='waterfall-row'] .wf-track").First.BoundingBoxAsync())!;
        var scale = await MarkerFractionsAsync(page, track);
        Assert.True(scale["ttfb"] <= scale["start-render"] && scale["start-render"] <= scale["on-load"], string.Join(", ", scale));
        var lastEnd = await page.EvaluateAsync<double>("() => Math.max(...[...document.querySelectorAll('[data-phase]')].map(s => s.getBoundingClientRect().right))");
        var onLoadX = (await page.Locator("[data-marker='on-load']").BoundingBoxAsync())!.X;
        Assert.InRange(onLoadX - lastEnd, -3, 3);
        Assert.Equal(metrics.GetProperty("onLoadMs").GetDouble(), metrics.GetProperty("actualMs").GetDouble());

        // One connection row per connection, with its real ports and a box per object it carried.
        var connections = doc.GetProperty("connections").EnumerateArray().ToList();
        await Expect(page.Locator("[data-testid='connection-row']")).ToHaveCountAsync(connections.Count);
        foreach (var connection in connections)
        {
            var row = page.Locator($"[data-testid='connection-row'][data-connection-id='{connection.GetProperty("id")}']");
            await Expect(row.Locator("[data-testid='connection-ports']")).ToHaveTextAsync($":{connection.GetProperty("localPort")} → :{connection.GetProperty("remotePort")}");
            var carried = doc.GetProperty("objects").EnumerateArray().Count(o => o.GetProperty("connectionId").ValueKind == JsonValueKind.Number && o.GetProperty("connectionId").GetInt32() == connection.GetProperty("id").GetInt32());
            await Expect(row.Locator("[data-testid='connection-object']")).ToHaveCountAsync(carried);
            // The kernel's TCP_INFO at close, from the document: RTT and congestion window on the row, the rest on hover.
            var tcp = connection.GetProperty("tcpInfo");
            var tcpCell = row.Locator("[data-testid='connection-tcp']");
            await Expect(tcpCell).ToContainTextAsync($"cwnd {tcp.GetProperty("congestionWindow").GetInt64()}");
            await Expect(tcpCell).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex($"received {tcp.GetProperty("bytesReceived").GetInt64()} B"));
        }

        await Expect(page.Locator("[data-testid='progress-line']")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-chart-marker]")).ToHaveCountAsync(2);
        await Expect(page.Locator("[data-summary='objects'] dd")).ToHaveTextAsync(metrics.GetProperty("objectCount").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("[data-testid='status']")).ToHaveTextAsync(doc.GetProperty("status").GetString()!);
        watched.AssertNoErrors();
    }

    [Fact]
    public async Task Clicking_a_row_shows_its_timings_connection_and_headers()
    {
        await using var site = UiSite.Create(TimeSpan.FromMilliseconds(10));
        await using var daemon = await Api.Daemon.StartAsync();
        var doc = await UiSite.LoadAsync(daemon, site);
        await using var watched = await browser.OpenAsync(daemon.Client.BaseAddress!);
        var page = watched.Page;
        var image = doc.GetProperty("objects").EnumerateArray().First(o => o.GetProperty("url").GetString()!.EndsWith("/c.png", StringComparison.Ordinal));

        await page.GotoAsync($"/page-loads/{doc.GetProperty("id")}");
        var detail = page.Locator("[data-testid='object-detail']");
        await Expect(detail).ToBeHiddenAsync();
        await page.Locator($"[data-testid='waterfall-row'][data-object-id='{image.GetProperty("id")}'] .wf-track").ClickAsync();

        await Expect(detail).ToBeVisibleAsync();
        await Expect(detail.Locator("[data-testid='detail-url']")).ToHaveTextAsync(image.GetProperty("url").GetString()!);
        await Expect(detail.Locator("[data-testid='detail-status']")).ToContainTextAsync("200");
        await Expect(detail.Locator("[data-testid='request-headers']")).ToContainTextAsync("Host");
        await Expect(detail.Locator("[data-testid='response-headers']")).ToContainTextAsync("image/png");
        await Expect(detail.Locator("[data-testid='detail-connection']")).ToContainTextAsync($"#{image.GetProperty("connectionId")}");
        await Expect(detail.Locator("[data-testid='detail-timings']")).ToContainTextAsync("Wait (TTFB)");
        // c.png is one of the first five images, not small: boosted to Medium, as the document says.
        Assert.Equal("Medium", image.GetProperty("priority").GetString());
        await Expect(detail.Locator("[data-testid='detail-priority']")).ToHaveTextAsync("Medium");
        await page.Locator($"[data-testid='waterfall-row'][data-object-id='{doc.GetProperty("objects")[0].GetProperty("id")}'] .wf-track").ClickAsync();
        await Expect(detail.Locator("[data-testid='detail-priority']")).ToHaveTextAsync("Highest"); // the document: VeryHigh, in DevTools' words
        await Expect(detail.Locator("[data-testid='detail-priority']")).ToHaveAttributeAsync("data-priority", "VeryHigh");
        await page.Locator($"[data-testid='waterfall-row'][data-object-id='{image.GetProperty("id")}'] .wf-track").ClickAsync();
        await Expect(detail.Locator("[data-testid='detail-url']")).ToHaveTextAsync(image.GetProperty("url").GetString()!);
        Assert.DoesNotContain("null", await detail.InnerTextAsync());
        await detail.ScrollIntoViewIfNeededAsync();
        await watched.ScreenshotAsync("page-load-detail");

        await page.Keyboard.PressAsync("Escape");
        await Expect(detail).ToBeHiddenAsync();

        // The failed object's detail leads with its error.
        var failed = doc.GetProperty("objects").EnumerateArray().Single(o => o.GetProperty("error").ValueKind == JsonValueKind.String);
        await page.Locator($"[data-testid='waterfall-row'][data-object-id='{failed.GetProperty("id")}'] .wf-label").ClickAsync();
        await Expect(detail.GetByRole(AriaRole.Alert)).ToHaveTextAsync(failed.GetProperty("error").GetString()!);
        watched.AssertNoErrors();
    }

    /// <summary>
    /// A height-only resize, as a full-page screenshot or a browser's sliding bar makes, leaves the page as drawn; a
    /// width change lays it out again. Fails a resize handler that redraws on every resize: the waterfall is replaced
    /// under the pointer, and a click that lands meanwhile is lost (a UI test's click on the related load was, once).
    /// </summary>
    [Fact]
    public async Task Only_a_width_change_lays_the_page_out_again()
    {
        await using var site = UiSite.Create(TimeSpan.Zero);
        await using var daemon = await Api.Daemon.StartAsync();
        var doc = await UiSite.LoadAsync(daemon, site);
        await using var watched = await browser.OpenAsync(daemon.Client.BaseAddress!);
        var page = watched.Page;
        await page.GotoAsync($"/page-loads/{doc.GetProperty("id")}");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-laid-out-at", "1400");
        var drawn = page.Locator("[data-testid='waterfall'][data-drawn='first']");
        await page.EvaluateAsync("""
            () => {
              document.querySelector("[data-testid='waterfall']").dataset.drawn = 'first';
              window.resizes = 0;
              addEventListener('resize', () => window.resizes++);
            }
            """);

        await watched.ScreenshotAsync("page-load-full");
        await page.SetViewportSizeAsync(1400, 600);
        await page.WaitForFunctionAsync("() => window.resizes > 0");
        // Three times the page's debounce (150 ms): a redraw on that resize would have come by now.
        await page.WaitForTimeoutAsync(450);
        await Expect(drawn).ToHaveCountAsync(1);

        await page.SetViewportSizeAsync(1000, 600);
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-laid-out-at", "1000");
        await Expect(drawn).ToHaveCountAsync(0);
        watched.AssertNoErrors();
    }

    [Fact]
    public async Task Pipelined_requests_overlap_on_their_connection_row()
    {
        await using var site = UiSite.Create(TimeSpan.FromMilliseconds(150));
        await using var daemon = await Api.Daemon.StartAsync();
        var doc = await UiSite.LoadAsync(daemon, site, "pipelined", connections: 1);
        await using var watched = await browser.OpenAsync(daemon.Client.BaseAddress!);
        var page = watched.Page;

        await page.GotoAsync($"/page-loads/{doc.GetProperty("id")}");
        await Expect(page.Locator("[data-testid='connection-row']")).ToHaveCountAsync(doc.GetProperty("connections").GetArrayLength());
        await page.Locator("[data-testid='connections']").ScrollIntoViewIfNeededAsync();
        await watched.ScreenshotAsync("page-load-pipelined");

        // A connection's boxes take as many lanes as the most requests it had in flight at once.
        var anyOverlap = false;
        foreach (var connection in doc.GetProperty("connections").EnumerateArray())
        {
            var id = connection.GetProperty("id").GetInt32();
            var spans = doc.GetProperty("objects").EnumerateArray()
                .Where(o => o.GetProperty("connectionId").ValueKind == JsonValueKind.Number && o.GetProperty("connectionId").GetInt32() == id)
                .Select(o => (Start: o.GetProperty("startMs").GetDouble() + Math.Max(o.GetProperty("timings").GetProperty("blocked").GetDouble(), 0), End: o.GetProperty("endMs").GetDouble()))
                .ToList();
            var inFlight = spans.Count == 0 ? 1 : spans.Max(s => spans.Count(t => t.Start <= s.Start && t.End > s.Start));
            anyOverlap |= inFlight > 1;
            await Expect(page.Locator($"[data-testid='connection-row'][data-connection-id='{id}']")).ToHaveAttributeAsync("data-lanes", inFlight.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.True(anyOverlap, "a pipelined load with slow images should have requests in flight together");
        watched.AssertNoErrors();
    }

    [Fact]
    public async Task An_unknown_page_load_says_so()
    {
        await using var daemon = await Api.Daemon.StartAsync();
        await using var watched = await browser.OpenAsync(daemon.Client.BaseAddress!);

        await watched.Page.GotoAsync("/page-loads/999");
        await Expect(watched.Page.Locator("#load-error")).ToHaveTextAsync("There is no page load 999.");
        watched.AssertNoErrors(UiSite.ResourceStatus(404));
    }

    /// <summary>Where each marker sits, as a fraction of the waterfall's track.</summary>
    private static async Task<Dictionary<string, double>> MarkerFractionsAsync(IPage page, LocatorBoundingBoxResult track)
    {
        var fractions = new Dictionary<string, double>();
        foreach (var key in MarkerKeys)
        {
            var box = (await page.Locator($"[data-marker='{key}']").BoundingBoxAsync())!;
            fractions[key] = (box.X - track.X) / track.Width;
        }

        return fractions;
    }
}
