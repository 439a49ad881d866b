using FetchAgent.TestServers.Samples;

namespace FetchAgent.Storage.Tests;

public sealed class ConcurrencyTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Twenty_concurrent_completions_are_all_stored(string engine)
    {
        await using var db = await TempDatabase.CreateAsync(engine);
        var documents = Enumerable.Range(0, 20).Select(_ => SampleDocuments.Rich()).ToList();
        foreach (var document in documents)
            document.Id = await db.PageLoads.StartAsync(document.Url, document.Options, document.StartedAt);

        // Each on its own thread-pool thread and connection, released at once, while readers read.
        using var go = new ManualResetEventSlim();
        var writers = documents.Select(d => Task.Run(async () =>
        {
            go.Wait();
            await db.PageLoads.CompleteAsync(d);
        }));
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            go.Wait();
            for (var i = 0; i < 10; i++)
                await db.PageLoads.ListAsync(new PageLoadQuery());
        }));
        var all = Task.WhenAll(writers.Concat(readers));
        go.Set();
        await all;

        var perLoad = documents[0].Objects.Count;
        Assert.Equal(20 * perLoad, await db.ScalarAsync("SELECT count(*) FROM objects;"));
        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM page_loads WHERE status = 'running';"));
        foreach (var document in documents)
            Assert.Equal(perLoad, (await db.PageLoads.GetAsync(document.Id))!.Objects.Count);
    }
}
