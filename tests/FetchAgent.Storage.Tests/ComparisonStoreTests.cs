using FetchAgent.Engine.Model;
using FetchAgent.TestServers.Samples;

namespace FetchAgent.Storage.Tests;

public sealed class ComparisonStoreTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task A_comparison_reads_back_in_order_with_each_rows_figures(string engine)
    {
        await using var db = await TempDatabase.CreateAsync(engine);
        const string url = "http://compare.test/";
        var serial = SampleDocuments.Simple(url, SampleDocuments.Noon, ConnectionStrategy.Serial, perceivedMs: 300, actualMs: 400, objects: 4);
        var parallel = SampleDocuments.Simple(url, SampleDocuments.Noon.AddSeconds(1), ConnectionStrategy.Parallel, perceivedMs: 150, actualMs: 410, objects: 4);
        var persistent = SampleDocuments.Simple(url, SampleDocuments.Noon.AddSeconds(2), ConnectionStrategy.Persistent, perceivedMs: 120, actualMs: 200, objects: 4);
        foreach (var document in new[] { serial, parallel, persistent })
            await db.PageLoads.InsertAsync(document);
        var created = SampleDocuments.Noon.AddTicks(5);

        var id = await db.Comparisons.InsertAsync(url, 1, [("serial", serial.Id), ("parallel", parallel.Id), ("persistent", persistent.Id)], created);
        Assert.True(await db.PageLoads.DeleteAsync(parallel.Id));
        var comparison = await db.Comparisons.GetAsync(id);

        Assert.NotNull(comparison);
        Assert.Equal((id, url, 1, created), (comparison.Id, comparison.Url, comparison.Runs, comparison.CreatedAt));
        Assert.Equal(
            [
                new ComparisonRow("serial", serial.Id, 300, 400, serial.Metrics.StartRenderMs, 1, 3),
                new ComparisonRow("parallel", null, 0, 0, 0, 0, 0),
                new ComparisonRow("persistent", persistent.Id, 120, 200, persistent.Metrics.StartRenderMs, 1, 3),
            ],
            comparison.Rows);
        Assert.Null(await db.Comparisons.GetAsync(id + 1));
    }
}
