using FetchAgent.Engine.Model;
using FetchAgent.TestServers.Samples;


namespace FetchAgent.Storage.Tests;

public sealed class PageLoadStoreTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Delete_takes_the_objects_and_connections_with_it(string engine)
    {
        await using var db = await TempDatabase.CreateAsync(engine);
        var kept = await db.PageLoads.InsertAsync(SampleDocuments.Rich());
        var deleted = await db.PageLoads.InsertAsync(SampleDocuments.Rich());

        Assert.True(await db.PageLoads.DeleteAsync(deleted));
        Assert.False(await db.PageLoads.DeleteAsync(deleted));

        Assert.Null(await db.PageLoads.GetAsync(deleted));
        Assert.Equal(0, await db.ScalarAsync($"SELECT count(*) FROM objects WHERE page_load_id = {deleted};"));
        Assert.Equal(0, await db.ScalarAsync($"SELECT count(*) FROM connections WHERE page_load_id = {deleted};"));
        Assert.Equal(SampleDocuments.Rich().Objects.Count, (await db.PageLoads.GetAsync(kept))!.Objects.Count);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Fail_running_marks_only_running_loads_failed_with_the_reason(string engine)
    {
        await using var db = await TempDatabase.CreateAsync(engine);
        var options = new LoadOptions();
        var first = await db.PageLoads.StartAsync("http://a.test/", options, SampleDocuments.Noon);
        var second = await db.PageLoads.StartAsync("http://b.test/", options, SampleDocuments.Noon.AddSeconds(1));
        var done = await db.PageLoads.InsertAsync(SampleDocuments.Simple("http://c.test/", SampleDocuments.Noon));

        var failed = await db.PageLoads.FailRunningAsync("the daemon stopped before the load finished");

        Assert.Equal(2, failed);
        foreach (var id in new[] { first, second })
        {
            var load = (await db.PageLoads.GetAsync(id))!;
            Assert.Equal(PageLoadStatus.Failed, load.Status);
            Assert.Equal("the daemon stopped before the load finished", load.Error);
            Assert.Empty(load.Objects);
            Assert.Equal(0, load.Metrics.ObjectCount);
        }

        Assert.Equal(PageLoadStatus.Completed, (await db.PageLoads.GetAsync(done))!.Status);
        Assert.Equal(0, await db.PageLoads.FailRunningAsync("again"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Trends_give_per_strategy_medians_of_completed_and_partial_loads(string engine)
    {
        await using var db = await TempDatabase.CreateAsync(engine);
        const string url = "http://trend.test/";
        var at = SampleDocuments.Noon;
        // persistent: odd count (3) -> the middle value.
        foreach (var (perceived, actual) in new[] { (300.0, 900.0), (100.0, 500.0), (200.0, 700.0) })
            await db.PageLoads.InsertAsync(SampleDocuments.Simple(url, at = at.AddSeconds(1), ConnectionStrategy.Persistent, perceivedMs: perceived, actualMs: actual));
        // parallel: even count (4, one of them partial) -> the mean of the two middle values.
        foreach (var (perceived, actual, status) in new[] { (10.0, 40.0, PageLoadStatus.Completed), (30.0, 80.0, PageLoadStatus.Partial), (20.0, 60.0, PageLoadStatus.Completed), (50.0, 100.0, PageLoadStatus.Completed) })
            await db.PageLoads.InsertAsync(SampleDocuments.Simple(url, at = at.AddSeconds(1), ConnectionStrategy.Parallel, status, perceived, actual));
        // Not counted: failed or running loads, and other URLs.
        await db.PageLoads.InsertAsync(SampleDocuments.Simple(url, at.AddSeconds(1), ConnectionStrategy.Parallel, PageLoadStatus.Failed, 1, 1));
        await db.PageLoads.StartAsync(url, new LoadOptions { Strategy = ConnectionStrategy.Serial }, at.AddSeconds(2));
        await db.PageLoads.InsertAsync(SampleDocuments.Simple("http://other.test/", at.AddSeconds(3), ConnectionStrategy.Serial));
        // actual 0 -> ratio 0 rather than infinity.
        await db.PageLoads.InsertAsync(SampleDocuments.Simple(url, at.AddSeconds(4), ConnectionStrategy.Pipelined, perceivedMs: 5, actualMs: 0));

        var trends = await db.PageLoads.TrendsAsync(url);

        Assert.Equal(
            [
                new TrendRow("parallel", 4, 25, 70, 25 / 70.0),
                new TrendRow("persistent", 3, 200, 700, 200 / 700.0),
                new TrendRow("pipelined", 1, 5, 0, 0),
            ],
            trends);
        Assert.Empty(await db.PageLoads.TrendsAsync("http://never.test/"));
    }
}
