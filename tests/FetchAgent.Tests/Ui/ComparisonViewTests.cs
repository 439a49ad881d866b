using System.Net.Http.Json;
using System.Text.Json;
using static Microsoft.Playwright.Assertions;

namespace FetchAgent.Tests.Ui;

[Collection(BrowserCollection.Name)]
public sealed class ComparisonViewTests(BrowserFixture browser)
{
    [Fact]
    public async Task Strategies_side_by_side_with_a_bar_pair_per_row_and_waterfalls_on_one_scale()
    {
        await using var site = UiSite.Create(TimeSpan.FromMilliseconds(30));
        await using var daemon = await Api.Daemon.StartAsync();
        var response = await daemon.Client.PostAsJsonAsync("/api/comparisons", new { url = site.Url("/").AbsoluteUri, strategies = new[] { "serial", "parallel", "persistent" }, maxConnectionsPerHost = 2 });
        response.EnsureSuccessStatusCode();
        var comparison = await daemon.JsonAsync(response);
        var rows = comparison.GetProperty("rows").EnumerateArray().ToList();
        await using var watched = await browser.OpenAsync(daemon.Client.BaseAddress!);
        var page = watched.Page;

        await page.GotoAsync($"/comparisons/{comparison.GetProperty("id")}");
        var tableRows = page.Locator("[data-testid='comparison-row']");
        await Expect(tableRows).ToHaveCountAsync(3);
        await Expect(page.Locator("[data-testid='comparison-waterfall']")).ToHaveCountAsync(3);
        await Expect(page.Locator("[data-testid='comparison-waterfall'] [data-marker='on-load']")).ToHaveCountAsync(3);
        await watched.ScreenshotAsync("comparison");

        // Bars are drawn to one scale: the perceived/actual widths keep the ratio of the numbers.
        for (var i = 0; i < rows.Count; i++)
        {
            var row = tableRows.Nth(i);
            await Expect(row).ToHaveAttributeAsync("data-strategy", rows[i].GetProperty("strategy").GetString()!);
            await Expect(row.Locator("[data-bar]")).ToHaveCountAsync(2);
            var perceived = (await row.Locator("[data-bar='perceived']").BoundingBoxAsync())!.Width;
            var actual = (await row.Locator("[data-bar='actual']").BoundingBoxAsync())!.Width;
            var expected = rows[i].GetProperty("perceivedMs").GetDouble() / rows[i].GetProperty("actualMs").GetDouble();
            Assert.InRange(perceived / actual, expected - 0.05, expected + 0.05);
        }

        // Every waterfall shows its load's objects, and one time scale: onLoad's place over actualMs is the same in each.
        var pixelsPerMs = new List<double>();
        foreach (var row in rows)
        {
            var strategy = row.GetProperty("strategy").GetString()!;
            var doc = await daemon.JsonAsync(await daemon.Client.GetAsync($"/api/page-loads/{row.GetProperty("pageLoadId")}"));
            var section = page.Locator($"[data-testid='comparison-waterfall'][data-strategy='{strategy}']");
            await Expect(section.Locator("[data-testid='waterfall-row']")).ToHaveCountAsync(doc.GetProperty("objects").GetArrayLength());
            var track = (await section.Locator(".wf-track").First.BoundingBoxAsync())!;
            var marker = (await section.Locator("[data-marker='on-load']").BoundingBoxAsync())!;
            pixelsPerMs.Add((marker.X - track.X) / doc.GetProperty("metrics").GetProperty("onLoadMs").GetDouble());
        }

        Assert.True(pixelsPerMs.Max() - pixelsPerMs.Min() < 0.05 * pixelsPerMs.Max(), string.Join(", ", pixelsPerMs));
        watched.AssertNoErrors();
    }

    [Fact]
    public async Task The_summary_of_each_strategy_sits_above_the_waterfalls_with_the_APIs_exact_figures()
    {
        await using var site = UiSite.Create(TimeSpan.FromMilliseconds(10));
        await using var daemon = await Api.Daemon.StartAsync();
        var response = await daemon.Client.PostAsJsonAsync("/api/comparisons", new { url = site.Url("/").AbsoluteUri, strategies = new[] { "parallel", "persistent" }, runs = 3 });
        response.EnsureSuccessStatusCode();
        var comparison = await daemon.JsonAsync(response);
        await using var watched = await browser.OpenAsync(daemon.Client.BaseAddress!);
        var page = watched.Page;

        await page.GotoAsync($"/comparisons/{comparison.GetProperty("id")}");
        var rows = page.Locator("[data-testid='summary-row']");
        await Expect(rows).ToHaveCountAsync(2);
        // Each strategy's median run by default, every run on demand.
        var waterfalls = page.Locator("[data-testid='comparison-waterfall']");
        await Expect(waterfalls).ToHaveCountAsync(2);
        Assert.Equal(
            comparison.GetProperty("summary").EnumerateArray().Select(s => s.GetProperty("medianPageLoadId").ToString()).ToArray(),
            await waterfalls.EvaluateAllAsync<string[]>("sections => sections.map(s => s.dataset.pageLoadId)"));
        await Expect(page.Locator("[data-testid='comparison-waterfall'][data-median='true']")).ToHaveCountAsync(2);
        await watched.ScreenshotAsync("comparison-runs");
        await page.Locator("[data-testid='all-runs']").CheckAsync();
        await watched.ExpectAsync(() => Expect(waterfalls).ToHaveCountAsync(6));
        await Expect(page.Locator("#load-error")).ToBeHiddenAsync();

        var summary = comparison.GetProperty("summary").EnumerateArray().ToList();
        for (var i = 0; i < summary.Count; i++)
        {
            var row = rows.Nth(i);
            await Expect(row).ToHaveAttributeAsync("data-strategy", summary[i].GetProperty("strategy").GetString()!);
            await Expect(row.Locator("[data-cell='runs']")).ToHaveTextAsync("3");
            foreach (var (cell, field) in new[] { ("median-perceived", "medianPerceivedMs"), ("min-perceived", "minPerceivedMs"), ("max-perceived", "maxPerceivedMs"), ("median-actual", "medianActualMs"), ("min-actual", "minActualMs"), ("max-actual", "maxActualMs") })
            {
                var shown = double.Parse((await row.Locator($"[data-cell='{cell}']").GetAttributeAsync("data-ms"))!, System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal(summary[i].GetProperty(field).GetDouble(), shown);
            }

            await Expect(row.Locator("[data-cell='median-run'] a")).ToHaveAttributeAsync("href", $"/page-loads/{summary[i].GetProperty("medianPageLoadId")}");
        }

        // Above the waterfalls: the summary table ends before the first waterfall begins.
        var table = (await page.Locator("[data-testid='comparison-summary']").BoundingBoxAsync())!;
        var waterfall = (await page.Locator("[data-testid='comparison-waterfall']").First.BoundingBoxAsync())!;
        Assert.True(table.Y + table.Height <= waterfall.Y);
        watched.AssertNoErrors();
    }

    [Fact]
    public async Task A_load_that_cannot_be_read_is_said_and_a_stale_render_never_paints_over_a_newer_one()
    {
        await using var site = UiSite.Create(TimeSpan.FromMilliseconds(5));
        await using var daemon = await Api.Daemon.StartAsync();
        var response = await daemon.Client.PostAsJsonAsync("/api/comparisons", new { url = site.Url("/").AbsoluteUri, strategies = new[] { "parallel", "persistent" }, runs = 2 });
        response.EnsureSuccessStatusCode();
        var comparison = await daemon.JsonAsync(response);
        await using var watched = await browser.OpenAsync(daemon.Client.BaseAddress!);
        var page = watched.Page;
        await page.GotoAsync($"/comparisons/{comparison.GetProperty("id")}");
        var waterfalls = page.Locator("[data-testid='comparison-waterfall']");
        await Expect(waterfalls).ToHaveCountAsync(2);

        var allRuns = page.Locator("[data-testid='all-runs']");

        // Every run asked for while the other runs' documents cannot be read: the page says so and keeps the medians.
        await page.RouteAsync("**/api/page-loads/*", route => route.AbortAsync());
        await allRuns.CheckAsync();
        await Expect(page.Locator("#load-error")).ToContainTextAsync($"Could not read a load of comparison {comparison.GetProperty("id")}");
        await Expect(waterfalls).ToHaveCountAsync(2);
        await page.UnrouteAllAsync();
        await allRuns.UncheckAsync();
        await Expect(page.Locator("#load-error")).ToBeHiddenAsync();

        // Now the documents are held by the browser until the test lets them through. Every run asked for, then
        // medians again while that render still waits: when its documents come, the medians stay.
        var held = new List<Microsoft.Playwright.IRoute>();
        var allHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync("**/api/page-loads/*", route =>
        {
            lock (held)
            {
                held.Add(route);
                if (held.Count == 2)
                    allHeld.TrySetResult();
            }

            return Task.CompletedTask;
        });
        await allRuns.CheckAsync();
        await allHeld.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await allRuns.UncheckAsync();
        await Expect(waterfalls).ToHaveCountAsync(2);
        var answered = held.Select(route => page.WaitForResponseAsync(route.Request.Url)).ToList();
        foreach (var route in held)
            await route.ContinueAsync();
        await Task.WhenAll(answered);
        await FlushTasksAsync(page);
        await Expect(waterfalls).ToHaveCountAsync(2);

        // Every run again: drawn from what that render fetched, without an error.
        await page.UnrouteAllAsync();
        await allRuns.CheckAsync();
        await Expect(waterfalls).ToHaveCountAsync(4);
        await Expect(page.Locator("#load-error")).ToBeHiddenAsync();
        watched.AssertNoErrors(e => e.Contains("net::ERR_FAILED", StringComparison.Ordinal));
    }

    /// <summary>Lets the page run what its answered fetches queued (two turns of its task queue).</summary>
    private static async Task FlushTasksAsync(Microsoft.Playwright.IPage page) =>
        await page.EvaluateAsync("() => new Promise((resolve) => setTimeout(() => setTimeout(resolve, 0), 0))");
}
