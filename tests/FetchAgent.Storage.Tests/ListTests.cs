using FetchAgent.Engine.Model;
using FetchAgent.TestServers.Samples;


namespace FetchAgent.Storage.Tests;

public sealed class ListTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Filters_by_url_host_status_and_time_newest_first(string engine)
    {
        await using var db = await TempDatabase.CreateAsync(engine);
        var t = SampleDocuments.Noon;
        var a1 = await db.PageLoads.InsertAsync(SampleDocuments.Simple("http://a.test/one", t.AddMinutes(1)));
        var a2 = await db.PageLoads.InsertAsync(SampleDocuments.Simple("http://a.test/two", t.AddMinutes(2), status: PageLoadStatus.Failed));
        var b1Document = SampleDocuments.Simple("http://B.test/one", t.AddMinutes(3), ConnectionStrategy.Serial, objects: 3);
        b1Document.ConcurrentLoads = 2;
        var b1 = await db.PageLoads.InsertAsync(b1Document);
        var a3 = await db.PageLoads.InsertAsync(SampleDocuments.Simple("http://a.test/one", t.AddMinutes(4), status: PageLoadStatus.Partial));
        var running = await db.PageLoads.StartAsync("http://a.test/one", new LoadOptions(), t.AddMinutes(5));

        async Task<long[]> Ids(PageLoadQuery query) => (await db.PageLoads.ListAsync(query)).Items.Select(i => i.Id).ToArray();

        Assert.Equal([running, a3, b1, a2, a1], await Ids(new PageLoadQuery()));
        Assert.Equal([running, a3, a1], await Ids(new PageLoadQuery { Url = "http://a.test/one" }));
        Assert.Equal([running, a3, a2, a1], await Ids(new PageLoadQuery { Host = "A.TEST" }));
        Assert.Equal([b1], await Ids(new PageLoadQuery { Host = "b.test" }));
        Assert.Equal([a2], await Ids(new PageLoadQuery { Status = PageLoadStatus.Failed }));
        Assert.Equal([a3], await Ids(new PageLoadQuery { Url = "http://a.test/one", Status = PageLoadStatus.Partial }));
        Assert.Equal([a3, b1], await Ids(new PageLoadQuery { Since = t.AddMinutes(3), Until = t.AddMinutes(5) }));
        Assert.Equal([a1], await Ids(new PageLoadQuery { Host = "a.test", Status = PageLoadStatus.Completed, Until = t.AddMinutes(2) }));
        Assert.Empty(await Ids(new PageLoadQuery { Url = "http://nowhere.test/" }));

        var summary = (await db.PageLoads.ListAsync(new PageLoadQuery { Host = "b.test" })).Items.Single();
        Assert.Equal(new PageLoadSummary(b1, "http://B.test/one", "http://B.test/one", t.AddMinutes(3), PageLoadStatus.Completed, null, "serial",
            100, 200, summary.StartRenderMs, 3, 1, 3 * 1100, 2), summary);
        Assert.True(summary.StartRenderMs > 0);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task The_limit_is_capped_and_a_next_cursor_only_when_more_remain(string engine)
    {
        await using var db = await TempDatabase.CreateAsync(engine);
        for (var i = 0; i < PageLoadQuery.MaxLimit + 5; i++)
            await db.PageLoads.InsertAsync(SampleDocuments.Simple("http://a.test/", SampleDocuments.Noon.AddSeconds(i)));

        var capped = await db.PageLoads.ListAsync(new PageLoadQuery { Limit = 10_000 });
        Assert.Equal(PageLoadQuery.MaxLimit, capped.Items.Count);
        Assert.NotNull(capped.NextCursor);

        var rest = await db.PageLoads.ListAsync(new PageLoadQuery { Limit = 10_000, Cursor = capped.NextCursor });
        Assert.Equal(5, rest.Items.Count);
        Assert.Null(rest.NextCursor);

        Assert.Equal(PageLoadQuery.DefaultLimit, (await db.PageLoads.ListAsync(new PageLoadQuery())).Items.Count);
        Assert.Single((await db.PageLoads.ListAsync(new PageLoadQuery { Limit = 0 })).Items);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Paging_with_the_cursor_neither_repeats_nor_skips_while_loads_are_inserted(string engine)
    {
        await using var db = await TempDatabase.CreateAsync(engine);
        const string url = "http://page.test/";
        var existing = new List<(long Id, int Second)>();
        // Two loads share a start time, so the cursor must tell them apart by id.
        for (var i = 0; i < 12; i++)
        {
            var second = i == 7 ? 6 : i;
            existing.Add((await db.PageLoads.InsertAsync(SampleDocuments.Simple(url, SampleDocuments.Noon.AddSeconds(second))), second));
        }
        var later = SampleDocuments.Noon.AddHours(1);

        var seen = new List<long>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await db.PageLoads.ListAsync(new PageLoadQuery { Url = url, Limit = 5, Cursor = cursor });
            seen.AddRange(page.Items.Select(i => i.Id));
            cursor = page.NextCursor;
            pages++;
            // New loads arrive between pages (newer than everything, and one of another URL).
            await db.PageLoads.InsertAsync(SampleDocuments.Simple(url, later = later.AddSeconds(1)));
            await db.PageLoads.InsertAsync(SampleDocuments.Simple("http://elsewhere.test/", later));
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        // Exactly the loads that existed, each once, newest start first and the higher id first on a tie.
        Assert.Equal(existing.OrderByDescending(e => e.Second).ThenByDescending(e => e.Id).Select(e => e.Id), seen);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task A_cursor_that_was_not_issued_is_refused(string engine)
    {
        await using var db = await TempDatabase.CreateAsync(engine);
        await Assert.ThrowsAsync<ArgumentException>(() => db.PageLoads.ListAsync(new PageLoadQuery { Cursor = "not-a-cursor" }));
        Assert.False(PageLoadCursor.TryDecode("bm9wZQ", out _));
        Assert.True(PageLoadCursor.TryDecode(new PageLoadCursor(SampleDocuments.Noon, 7).Encode(), out var cursor));
        Assert.Equal(new PageLoadCursor(SampleDocuments.Noon, 7), cursor);
    }
}
