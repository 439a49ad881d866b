using FetchAgent.Storage;
using FetchAgent.TestServers.Samples;
using static Microsoft.Playwright.Assertions;

namespace FetchAgent.Tests.Ui;

[Collection(BrowserCollection.Name)]
public sealed class NoisyNeighbourTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_summary_warns_when_the_load_ran_alongside_others_and_only_then()
    {
        await using var daemon = await Api.Daemon.StartAsync();
        var store = StorageFactory.Create(daemon.DatabasePath).PageLoads;
        var crowded = SampleDocuments.Waterfall();
        crowded.ConcurrentLoads = 2;
        var alone = SampleDocuments.Waterfall();
        await store.InsertAsync(crowded);
        await store.InsertAsync(alone);
        await using var watched = await browser.OpenAsync(daemon.Client.BaseAddress!);
        var page = watched.Page;

        await page.GotoAsync($"/page-loads/{crowded.Id}");
        await Expect(page.Locator("[data-testid='concurrent-loads']")).ToContainTextAsync("ran alongside 2 other loads");

        await page.GotoAsync($"/page-loads/{alone.Id}");
        await Expect(page.Locator("[data-summary='perceived']")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid='concurrent-loads']")).ToHaveCountAsync(0);
        watched.AssertNoErrors();
    }
}
