using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FetchAgent.Tests.Ui;

/// <summary>Issue 14 in the browser: filters, sort, zoom, notes beside bars, breakdown, actions, options, trends, sweeps, HAR import, 800 px.</summary>
[Collection(BrowserCollection.Name)]
public sealed class Issue14UiTests(BrowserFixture browser)
{
    /// <summary>Navigation counts once the new page is committed; what the test then expects waits for the page's content
    /// (the load event can lag behind on a busy machine and says nothing the assertions do not).</summary>
    private static readonly PageWaitForURLOptions Committed = new() { WaitUntil = WaitUntilState.Commit };

    private static List<JsonElement> Objects(JsonElement doc) => doc.GetProperty("objects").EnumerateArray().ToList();

    private static async Task<string[]> RowIdsAsync(IPage page) =>
        await page.Locator("[data-testid='waterfall-row']").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.objectId)");

    [Fact]
    public async Task Filters_sort_and_the_name_column_pick_and_order_the_rows()
    {
        await using var site = UiSite.Create(TimeSpan.FromMilliseconds(20));
        await using var daemon = await Api.Daemon.StartAsync();
        var doc = await UiSite.LoadAsync(daemon, site);
        var objects = Objects(doc);
        await using var watched = await browser.OpenAsync(daemon.Client.BaseAddress!);
        var page = watched.Page;
        await page.GotoAsync($"/page-loads/{doc.GetProperty("id")}");
        var rows = page.Locator("[data-testid='waterfall-row']");
        await Expect(rows).ToHaveCountAsync(objects.Count);

        // The name column: the last path segment and the host; the full URL on hover.
        var image = objects.First(o => o.GetProperty("url").GetString()!.EndsWith("/c.png", StringComparison.Ordinal));
        var imageRow = page.Locator($"[data-testid='waterfall-row'][data-object-id='{image.GetProperty("id")}']");
        await Expect(imageRow.Locator("[data-testid='object-name']")).ToHaveTextAsync($"c.png127.0.0.1:{site.Port}");
        await Expect(imageRow.Locator(".wf-label")).ToHaveAttributeAsync("title", image.GetProperty("url").GetString()!);

        await page.Locator("[data-testid='filter-kind']").SelectOptionAsync("image");
        await Expect(rows).ToHaveCountAsync(objects.Count(o => o.GetProperty("kind").GetString() == "image"));
        await page.Locator("[data-testid='filter-status']").SelectOptionAsync("failed");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid='waterfall-count']")).ToHaveTextAsync($"1 of {objects.Count} objects");
        await page.Locator("[data-testid='filter-status']").SelectOptionAsync("");
        await page.Locator("[data-testid='filter-kind']").SelectOptionAsync("");
        await page.Locator("[data-testid='filter-status']").SelectOptionAsync("3xx");
        await Expect(rows).ToHaveCountAsync(objects.Count(o => o.GetProperty("status").ValueKind == JsonValueKind.Number && o.GetProperty("status").GetInt32() is >= 300 and < 400));
        await page.Locator("[data-testid='filter-status']").SelectOptionAsync("");
        await page.Locator("[data-testid='filter-host']").SelectOptionAsync($"127.0.0.1:{site.Port}");
        await Expect(rows).ToHaveCountAsync(objects.Count);
        await page.Locator("[data-testid='filter-text']").FillAsync(".png");
        await Expect(rows).ToHaveCountAsync(objects.Count(o => o.GetProperty("url").GetString()!.Contains(".png", StringComparison.Ordinal)));
        await page.Locator("[data-testid='filter-text']").FillAsync("");
        await Expect(rows).ToHaveCountAsync(objects.Count);

        await page.Locator("[data-testid='sort']").SelectOptionAsync("size");
        var bySize = objects.OrderByDescending(o => o.GetProperty("bodyBytes").GetInt64()).ThenBy(o => o.GetProperty("id").GetInt32()).Select(o => o.GetProperty("id").ToString()).ToArray();
        Assert.Equal(bySize, await RowIdsAsync(page));
        await page.Locator("[data-testid='sort']").SelectOptionAsync("duration");
        var byDuration = objects.OrderByDescending(o => o.GetProperty("time").GetDouble()).ThenBy(o => o.GetProperty("id").GetInt32()).Select(o => o.GetProperty("id").ToString()).ToArray();
        Assert.Equal(byDuration, await RowIdsAsync(page));
        await page.Locator("[data-testid='sort']").SelectOptionAsync("start");
        var byStart = objects.OrderBy(o => o.GetProperty("startMs").GetDouble()).ThenBy(o => o.GetProperty("id").GetInt32()).Select(o => o.GetProperty("id").ToString()).ToArray();
        Assert.Equal(byStart, await RowIdsAsync(page));
        watched.AssertNoErrors();
    }

    [Fact]
    public async Task Brushing_the_axis_zooms_to_that_range_and_a_double_click_resets_it()
    {
        await using var site = UiSite.Create(TimeSpan.FromMilliseconds(60));
        await using var daemon = await Api.Daemon.StartAsync();
        var doc = await UiSite.LoadAsync(daemon, site);
        await using var watched = await browser.OpenAsync(daemon.Client.BaseAddress!);
        var page = watched.Page;
        await page.GotoAsync($"/page-loads/{doc.GetProperty("id")}");
        var axis = page.Locator("#waterfall [data-testid='waterfall-axis']");
        await Expect(axis).ToHaveAttributeAsync("data-from", "0");
        var fullTo = double.Parse((await axis.GetAttributeAsync("data-to"))!, System.Globalization.CultureInfo.InvariantCulture);
        var box = (await axis.BoundingBoxAsync())!;

        // Drag from 25 % to 75 % of the axis: the window becomes that part of the old one.
        await page.Mouse.MoveAsync(box.X + box.Width * 0.25f, box.Y + box.Height / 2);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + box.Width * 0.5f, box.Y + box.Height / 2, new() { Steps = 4 });
        await page.Mouse.MoveAsync(box.X + box.Width * 0.75f, box.Y + box.Height / 2, new() { Steps = 4 });
        await page.Mouse.UpAsync();
        await Expect(page.Locator("[data-testid='zoom']")).ToBeVisibleAsync();
        var from = double.Parse((await axis.GetAttributeAsync("data-from"))!, System.Globalization.CultureInfo.InvariantCulture);
        var to = double.Parse((await axis.GetAttributeAsync("data-to"))!, System.Globalization.CultureInfo.InvariantCulture);
        var pixel = fullTo / box.Width;
        Assert.InRange(from, fullTo * 0.25 - 2 * pixel, fullTo * 0.25 + 2 * pixel);
        Assert.InRange(to, fullTo * 0.75 - 2 * pixel, fullTo * 0.75 + 2 * pixel);
        // Every tick label is inside the window, and a bar that ends before it is not drawn.
        var ticks = await axis.Locator(".tick").AllTextContentsAsync();
        Assert.NotEmpty(ticks);
        var markers = await page.Locator("#waterfall [data-marker]").EvaluateAllAsync<double[]>("m => m.map(x => Number(x.dataset.ms))");
        Assert.All(markers, ms => Assert.InRange(ms, from, to));
        // The connection view and visual progress follow the zoom: same window, and progress ticks only inside it.
        var connectionsAxis = page.Locator("[data-testid='connections-axis']");
        Assert.Equal((await axis.GetAttributeAsync("data-from"), await axis.GetAttributeAsync("data-to")),
            (await connectionsAxis.GetAttributeAsync("data-from"), await connectionsAxis.GetAttributeAsync("data-to")));
        var progressTicks = await page.Locator("[data-testid='progress-chart'] .chart-tick").AllTextContentsAsync();
        Assert.DoesNotContain("0 ms", progressTicks);
        await watched.ScreenshotAsync("page-load-zoomed");

        // A brush on the connection view's axis zooms all three again, to its part of the current window.
        var fromText = await axis.GetAttributeAsync("data-from");
        // Dispatched on the axis itself (pointer events at 50 % and 99 % of its width), so no scrolling or layout
        // between reading its box and pressing the mouse can move it from under the pointer.
        // The axis is looked up in the same script that dispatches: a re-layout (the screenshot's resize re-renders the
        // view 150 ms later) can replace the element between a locator's lookup and its evaluation.
        await page.EvaluateAsync(@"() => {
            const axis = document.querySelector(""[data-testid='connections-axis']"");
            const box = axis.getBoundingClientRect();
            const at = (fraction) => ({ clientX: box.left + box.width * fraction, clientY: box.top + box.height / 2, button: 0, pointerId: 1, bubbles: true });
            axis.dispatchEvent(new PointerEvent('pointerdown', at(0.5)));
            axis.dispatchEvent(new PointerEvent('pointermove', at(0.75)));
            axis.dispatchEvent(new PointerEvent('pointerup', at(0.99)));
        }");
        var mid = from + (to - from) / 2;
        await Expect(axis).Not.ToHaveAttributeAsync("data-from", fromText!);
        var zoomedFrom = double.Parse((await axis.GetAttributeAsync("data-from"))!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(zoomedFrom, mid - 2 * pixel, mid + 2 * pixel);
        Assert.Equal(await axis.GetAttributeAsync("data-from"), await connectionsAxis.GetAttributeAsync("data-from"));

        await axis.DblClickAsync();
        await Expect(axis).ToHaveAttributeAsync("data-from", "0");
        Assert.Equal(fullTo, double.Parse((await axis.GetAttributeAsync("data-to"))!, System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("[data-testid='zoom']")).ToBeHiddenAsync();
        await Expect(page.Locator("[data-testid='connections-axis']")).ToHaveAttributeAsync("data-from", "0");
        watched.AssertNoErrors();
    }

    [Theory]
    [InlineData(1400)]
    [InlineData(800)]
    public async Task Duration_labels_never_sit_on_a_bar_and_the_view_fits_the_width(int width)
    {
        await using var site = UiSite.Create(TimeSpan.FromMilliseconds(80));
        await using var daemon = await Api.Daemon.StartAsync();
        var doc = await UiSite.LoadAsync(daemon, site, "persistent", connections: 1);
        await using var watched = await browser.OpenAsync(daemon.Client.BaseAddress!);
        var page = watched.Page;
        await page.SetViewportSizeAsync(width, 900);
        await page.GotoAsync($"/page-loads/{doc.GetProperty("id")}");
        await Expect(page.Locator("[data-marker='on-load']")).ToHaveCountAsync(1);
        await watched.ScreenshotAsync($"page-load-{width}");

        var overlaps = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('#waterfall [data-testid="waterfall-row"]')].flatMap(row => {
              const note = row.querySelector('.wf-note').getBoundingClientRect();
              return [...row.querySelectorAll('.seg')].map(s => s.getBoundingClientRect())
                .filter(b => b.width > 0 && note.left < b.right - 0.5 && b.left < note.right - 0.5 && note.top < b.bottom - 0.5 && b.top < note.bottom - 0.5)
                .map(() => row.dataset.objectId);
            })
            """);
        Assert.Empty(overlaps);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page-load view scrolls sideways");
        watched.AssertNoErrors();
    }

    [Fact]
    public async Task The_breakdown_by_content_type_and_host_adds_up_to_the_documents_figures()
    {
        await using var site = UiSite.Create(TimeSpan.Zero);
        await using var daemon = await Api.Daemon.StartAsync();
        var doc = await UiSite.LoadAsync(daemon, site);
        var objects = Objects(doc);
        await using var watched = await browser.OpenAsync(daemon.Client.BaseAddress!);
        var page = watched.Page;
        await page.GotoAsync($"/page-loads/{doc.GetProperty("id")}");

        var labels = new Dictionary<string, string> { ["document"] = "html", ["stylesheet"] = "css", ["script"] = "js", ["image"] = "img" };
        var expected = objects.GroupBy(o => labels[o.GetProperty("kind").GetString()!])
            .ToDictionary(g => g.Key, g => (Requests: g.Count(), Bytes: g.Sum(o => o.GetProperty("headerBytes").GetInt64() + o.GetProperty("bodyBytes").GetInt64())));
        var table = page.Locator("[data-testid='breakdown-kind']");
        await Expect(table.Locator("[data-testid='breakdown-row']")).ToHaveCountAsync(expected.Count);
        foreach (var (key, (requests, bytes)) in expected)
        {
            var row = table.Locator($"[data-testid='breakdown-row'][data-key='{key}']");
            await Expect(row).ToHaveAttributeAsync("data-requests", requests.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Expect(row).ToHaveAttributeAsync("data-bytes", bytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var metrics = doc.GetProperty("metrics");
        foreach (var id in new[] { "breakdown-kind", "breakdown-host" })
        {
            var total = page.Locator($"[data-testid='{id}'] [data-testid='breakdown-total']");
            await Expect(total).ToHaveAttributeAsync("data-requests", metrics.GetProperty("objectCount").ToString());
            await Expect(total).ToHaveAttributeAsync("data-bytes", metrics.GetProperty("bytes").ToString());
        }

        await Expect(page.Locator($"[data-testid='breakdown-host'] [data-testid='breakdown-row'][data-key='127.0.0.1:{site.Port}']")).ToHaveAttributeAsync("data-requests", objects.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator("[data-testid='breakdown']").ScrollIntoViewIfNeededAsync();
        watched.AssertNoErrors();
    }

    [Fact]
    public async Task The_HAR_button_downloads_the_loads_HAR_and_Delete_removes_the_load()
    {
        await using var site = UiSite.Create(TimeSpan.Zero);
        await using var daemon = await Api.Daemon.StartAsync();
        var doc = await UiSite.LoadAsync(daemon, site);
        var id = doc.GetProperty("id").GetInt64();
        await using var watched = await browser.OpenAsync(daemon.Client.BaseAddress!);
        var page = watched.Page;
        await page.GotoAsync($"/page-loads/{id}");

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid='download-har']").ClickAsync());
        Assert.Equal($"page-load-{id}.har", download.SuggestedFilename);
        var path = Path.Combine(Directory.CreateTempSubdirectory("fetchagent-har-").FullName, download.SuggestedFilename);
        await download.SaveAsAsync(path);
        using var har = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        Assert.Equal(Objects(doc).Count, har.RootElement.GetProperty("log").GetProperty("entries").GetArrayLength());

        var dialogs = 0;
        page.Dialog += (_, dialog) =>
        {
            Interlocked.Increment(ref dialogs);
            _ = dialog.AcceptAsync();
        };
        await page.Locator("[data-testid='delete']").ClickAsync();
        try
        {
            await page.WaitForURLAsync($"**/?deleted={id}", new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        }
        catch (TimeoutException)
        {
            // Say where it stopped: no confirm dialog, a failed DELETE (its text), or a navigation that never came.
            Assert.Fail($"no navigation after Delete: {dialogs} dialog(s), page {page.Url}, status '{await page.Locator("#action-status").TextContentAsync()}'");
        }

        await Expect(page.Locator("[data-testid='notice']")).ToHaveTextAsync($"Page load {id} was deleted.");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await daemon.Client.GetAsync($"/api/page-loads/{id}")).StatusCode);
        watched.AssertNoErrors();
    }

    [Fact]
    public async Task A_failed_load_shows_a_dash_for_the_metrics_it_does_not_have()
    {
        int gone;
        await using (var closed = new FetchAgent.TestServers.StaticOrigin())
            gone = closed.Port;
        await using var daemon = await Api.Daemon.StartAsync();
        var response = await daemon.Client.PostAsJsonAsync("/api/page-loads", new { url = $"http://127.0.0.1:{gone}/" });
        var doc = await daemon.JsonAsync(response);
        Assert.Equal("failed", doc.GetProperty("status").GetString());
        await using var watched = await browser.OpenAsync(daemon.Client.BaseAddress!);
        var page = watched.Page;
        await page.GotoAsync($"/page-loads/{doc.GetProperty("id")}");

        foreach (var key in new[] { "perceived", "start-render", "ttfb" })
            await Expect(page.Locator($"[data-summary='{key}'] dd")).ToHaveTextAsync("–");
        await page.GotoAsync("/");
        var row = page.Locator($"[data-testid='load-row'][data-page-load-id='{doc.GetProperty("id")}']");
        await Expect(row.Locator("[data-cell='perceived']")).ToHaveTextAsync("–");
        watched.AssertNoErrors();
    }

    [Fact]
    public async Task Every_load_option_in_the_form_reaches_the_load()
    {
        await using var site = UiSite.Create(TimeSpan.Zero);
        await using var daemon = await Api.Daemon.StartAsync();
        await using var watched = await browser.OpenAsync(daemon.Client.BaseAddress!);
        var page = watched.Page;
        await page.GotoAsync("/");
        await page.Locator("#url").FillAsync(site.Url("/").AbsoluteUri);
        await page.Locator("#strategy").SelectOptionAsync("pipelined");
        await page.Locator("#connections").FillAsync("3");
        await page.Locator("[data-testid='more-options'] summary").ClickAsync();
        await page.Locator("#pipeline-depth").FillAsync("2");
        await page.Locator("#object-timeout").FillAsync("7000");
        await page.Locator("#connect-timeout").FillAsync("3000");
        await page.Locator("#page-timeout").FillAsync("9000");
        await page.Locator("#max-objects").FillAsync("40");
        await page.Locator("#max-body-bytes").FillAsync("1000000");
        await page.Locator("#insecure").CheckAsync();
        await page.Locator("#split-request").CheckAsync();
        await page.Locator("#network").SelectOptionAsync("fios");
        await page.Locator("#rtt-ms").FillAsync("20");
        await watched.ScreenshotAsync("home-options");
        var formFields = await page.Locator("form [name]").EvaluateAllAsync<string[]>("els => els.map(e => e.name)");
        await page.GetByRole(AriaRole.Button, new() { Name = "Load", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/page-loads/*", Committed);

        var id = page.Url[(page.Url.LastIndexOf('/') + 1)..];
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-status", "partial", new() { Timeout = 30_000 });
        var options = (await daemon.JsonAsync(await daemon.Client.GetAsync($"/api/page-loads/{id}"))).GetProperty("options");
        Assert.Equal("pipelined", options.GetProperty("strategy").GetString());
        Assert.Equal(3, options.GetProperty("maxConnectionsPerHost").GetInt32());
        Assert.Equal(2, options.GetProperty("pipelineDepth").GetInt32());
        Assert.Equal(7000, options.GetProperty("objectTimeoutMs").GetInt32());
        Assert.Equal(3000, options.GetProperty("connectTimeoutMs").GetInt32());
        Assert.Equal(9000, options.GetProperty("pageTimeoutMs").GetInt32());
        Assert.Equal(40, options.GetProperty("maxObjects").GetInt32());
        Assert.Equal(1000000, options.GetProperty("maxBodyBytes").GetInt64());
        Assert.True(options.GetProperty("insecure").GetBoolean());
        Assert.Equal((false, true), (options.GetProperty("nagle").GetBoolean(), options.GetProperty("splitRequest").GetBoolean()));
        Assert.Equal(("fios", 20, 0), (options.GetProperty("network").GetString(), options.GetProperty("rttMs").GetInt32(), options.GetProperty("downKbps").GetInt32()));
        // Every option a load records has its field in the form (a new option without one fails here).
        Assert.Empty(options.EnumerateObject().Select(p => p.Name).Except(formFields));
        watched.AssertNoErrors();
    }

    [Fact]
    public async Task The_home_page_lists_past_comparisons_and_works_at_800_px()
    {
        await using var site = UiSite.Create(TimeSpan.Zero);
        await using var daemon = await Api.Daemon.StartAsync();
        await UiSite.LoadAsync(daemon, site);
        var first = await daemon.JsonAsync(await daemon.Client.PostAsJsonAsync("/api/comparisons", new { url = site.Url("/").AbsoluteUri, strategies = new[] { "serial" } }));
        var second = await daemon.JsonAsync(await daemon.Client.PostAsJsonAsync("/api/comparisons", new { url = site.Url("/").AbsoluteUri, strategies = new[] { "persistent" }, pipelineDepth = new[] { 1, 2 } }));
        await using var watched = await browser.OpenAsync(daemon.Client.BaseAddress!);
        var page = watched.Page;
        await page.GotoAsync("/");
        var items = page.Locator("[data-testid='comparison-item']");
        await Expect(items).ToHaveCountAsync(2);
        Assert.Equal([second.GetProperty("id").ToString(), first.GetProperty("id").ToString()], await items.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.comparisonId)"));
        await Expect(items.First).ToContainTextAsync("pipelineDepth 1, 2");
        await watched.ScreenshotAsync("home-1400");

        await page.SetViewportSizeAsync(800, 900);
        // The load, and the comparisons' three (their warm-up loads are recorded nowhere).
        await Expect(page.Locator("[data-testid='load-row']")).ToHaveCountAsync(4);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the home page scrolls sideways at 800 px");
        var table = (await page.Locator("[data-testid='loads']").BoundingBoxAsync())!;
        Assert.True(table.X + table.Width <= 800, $"the loads table ends at {table.X + table.Width}");
        await watched.ScreenshotAsync("home-800");
        await items.First.GetByRole(AriaRole.Link).ClickAsync();
        await page.WaitForURLAsync($"**/comparisons/{second.GetProperty("id")}", Committed);
        watched.AssertNoErrors();
    }

    [Fact]
    public async Task The_trends_page_draws_perceived_and_actual_of_every_load_per_strategy()
    {
        await using var site = UiSite.Create(TimeSpan.Zero);
        await using var daemon = await Api.Daemon.StartAsync();
        var loads = new List<JsonElement>();
        foreach (var strategy in new[] { "serial", "persistent", "serial", "persistent" })
            loads.Add(await UiSite.LoadAsync(daemon, site, strategy));
        await using var watched = await browser.OpenAsync(daemon.Client.BaseAddress!);
        var page = watched.Page;
        await page.GotoAsync($"/page-loads/{loads[0].GetProperty("id")}");
        // The link gets its URL once the view has read the load: click it then, not before.
        await Expect(page.Locator("[data-testid='trends-link']")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex(@"/trends\?url="));
        await page.Locator("[data-testid='trends-link']").ClickAsync();
        await page.WaitForURLAsync("**/trends?url=*", Committed);

        var chart = page.Locator("[data-testid='trends-chart']");
        await Expect(chart.Locator("circle.chart-point")).ToHaveCountAsync(2 * loads.Count);
        foreach (var load in loads)
        {
            var strategy = load.GetProperty("options").GetProperty("strategy").GetString();
            var id = load.GetProperty("id").ToString();
            var actual = await chart.Locator($"circle[data-series='{strategy}-actual'][data-id='{id}']").GetAttributeAsync("data-y");
            Assert.Equal(load.GetProperty("metrics").GetProperty("actualMs").GetDouble(), double.Parse(actual!, System.Globalization.CultureInfo.InvariantCulture));
        }

        await Expect(chart.Locator("path.chart-series")).ToHaveCountAsync(4);
        await Expect(page.Locator("[data-testid='trend-row']")).ToHaveCountAsync(2);
        await watched.ScreenshotAsync("trends-1400");
        await page.SetViewportSizeAsync(800, 900);
        await Expect(chart).ToHaveAttributeAsync("width", new System.Text.RegularExpressions.Regex("^[0-7]\\d\\d$"));
        await watched.ScreenshotAsync("trends-800");
        watched.AssertNoErrors();
    }

    [Fact]
    public async Task A_sweep_is_drawn_as_lines_and_the_comparison_lays_out_again_on_resize()
    {
        await using var site = UiSite.Create(TimeSpan.FromMilliseconds(10));
        await using var daemon = await Api.Daemon.StartAsync();
        var response = await daemon.Client.PostAsJsonAsync("/api/comparisons", new { url = site.Url("/").AbsoluteUri, strategies = new[] { "parallel", "persistent" }, maxConnectionsPerHost = new[] { 1, 2, 4 } });
        response.EnsureSuccessStatusCode();
        var comparison = await daemon.JsonAsync(response);
        await using var watched = await browser.OpenAsync(daemon.Client.BaseAddress!);
        var page = watched.Page;
        await page.GotoAsync($"/comparisons/{comparison.GetProperty("id")}");

        var chart = page.Locator("[data-testid='sweep-chart']");
        await Expect(chart.Locator("path.chart-series")).ToHaveCountAsync(4);
        await Expect(chart.Locator("circle.chart-point")).ToHaveCountAsync(12);
        foreach (var s in comparison.GetProperty("summary").EnumerateArray())
        {
            var point = chart.Locator($"circle[data-series='{s.GetProperty("strategy").GetString()}-perceived'][data-x='{s.GetProperty("sweepValue")}']");
            Assert.Equal(s.GetProperty("medianPerceivedMs").GetDouble(), double.Parse((await point.GetAttributeAsync("data-y"))!, System.Globalization.CultureInfo.InvariantCulture));
        }

        await Expect(page.Locator("[data-testid='summary-row']")).ToHaveCountAsync(6);
        var best = page.Locator("[data-cell='actual-vs-best']", new() { HasTextString = "best" });
        await Expect(best).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid='comparison-waterfall']")).ToHaveCountAsync(6);
        await watched.ScreenshotAsync("comparison-sweep-1400");

        await page.SetViewportSizeAsync(800, 900);
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-laid-out-at", "800");
        var lanesOk = await page.EvaluateAsync<bool>("""
            () => [...document.querySelectorAll('.marker-labels')].every(box => {
              const labels = [...box.children].map(l => l.getBoundingClientRect());
              return labels.every((a, i) => labels.every((b, j) => i === j || a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top));
            })
            """);
        Assert.True(lanesOk, "marker labels overlap after the resize");
        Assert.True(await page.EvaluateAsync<bool>("() => document.querySelector('[data-testid=\"sweep-chart\"]').getBoundingClientRect().right <= window.innerWidth"), "the sweep chart is wider than the window");
        await watched.ScreenshotAsync("comparison-sweep-800");
        watched.AssertNoErrors();
    }

    [Fact]
    public async Task A_HAR_uploaded_on_the_home_page_shows_the_same_waterfall_linked_to_the_original()
    {
        await using var site = UiSite.Create(TimeSpan.FromMilliseconds(20));
        await using var daemon = await Api.Daemon.StartAsync();
        var original = await UiSite.LoadAsync(daemon, site);
        var harPath = Path.Combine(Directory.CreateTempSubdirectory("fetchagent-upload-").FullName, "load.har");
        await File.WriteAllTextAsync(harPath, await daemon.Client.GetStringAsync($"/api/page-loads/{original.GetProperty("id")}/har"));
        await using var watched = await browser.OpenAsync(daemon.Client.BaseAddress!);
        var page = watched.Page;
        await page.GotoAsync("/");
        await page.Locator("[data-testid='har-file']").SetInputFilesAsync(harPath);
        await page.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();
        // The import navigates to the new load's view; a failure says where the page was instead.
        try
        {
            await Expect(page.Locator("[data-testid='imported-from']")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        }
        catch (PlaywrightException e)
        {
            Assert.Fail($"no imported load's view after Import (the page is at {page.Url}): {e.Message}");
        }

        Assert.Matches(@"/page-loads/\d+$", page.Url);

        await Expect(page.Locator("[data-testid='imported-from']")).ToContainTextAsync("FetchAgent");
        Assert.Equal(Objects(original).Select(o => o.GetProperty("id").ToString()).ToArray(), await RowIdsAsync(page));
        var related = page.Locator("[data-testid='related-load']");
        await Expect(related).ToHaveCountAsync(1);
        await Expect(related).ToHaveAttributeAsync("data-page-load-id", original.GetProperty("id").ToString());
        await watched.ScreenshotAsync("page-load-imported-1400");
        await page.SetViewportSizeAsync(800, 900);
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-laid-out-at", "800");
        await watched.ScreenshotAsync("page-load-imported-800");

        // And the original links back to the import.
        await related.ClickAsync();
        await page.WaitForURLAsync($"**/page-loads/{original.GetProperty("id")}", Committed);
        await Expect(page.Locator("[data-testid='related-load']")).ToContainTextAsync("HAR");
        watched.AssertNoErrors();
    }
}
