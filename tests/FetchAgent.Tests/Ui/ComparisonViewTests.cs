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
}
