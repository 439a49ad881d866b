using System.Text.Json;
using FetchAgent.Engine.Model;
using FetchAgent.Storage;
using FetchAgent.TestServers.Samples;

namespace FetchAgent.Storage.Tests;

/// <summary>Issue 15 (migration 0011): a repeat view is stored as a page load of its own, linked to its first view.</summary>
public sealed class RepeatViewStorageTests
{
    private static string Json(PageLoadDocument d) => JsonSerializer.Serialize(d, DocumentJson.Options);

    private static PageLoadDocument WithRepeat()
    {
        var first = SampleDocuments.Rich();
        var repeat = SampleDocuments.Rich();
        repeat.Objects[0].Revalidated = true;
        repeat.Objects[0].Status = 304;
        repeat.Objects[1].FromCache = true;
        repeat.Objects[1].ConnectionId = null;
        // HAR cache entries (migration 0018): a side null, a whole one, a nanosecond-odd instant, a null ETag.
        var stored = new CacheEntryRecord(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero).AddTicks(1234567), new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero), "\"abc\"", 0);
        first.Objects[1].Cache = new ObjectCacheRecord(null, stored);
        repeat.Objects[1].Cache = new ObjectCacheRecord(stored, stored with { HitCount = 1, LastAccess = stored.LastAccess.AddSeconds(5), ETag = null });
        first.Connections[0].KeptForRepeatView = true; // --keep-connections (migration 0018)
        first.Connections[0].ClosedMs = null;
        repeat.Connections[0].KeptFrom = first.Connections[0].Id;
        first.RepeatView = repeat;
        return first;
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task A_repeat_view_reads_back_with_its_first_view_whole_and_stays_out_of_the_list_and_goes_with_it(string engine)
    {
        await using var db = await TempDatabase.CreateAsync(engine);
        var document = WithRepeat();
        var id = await db.PageLoads.InsertAsync(document);
        var stored = await db.PageLoads.GetAsync(id);

        Assert.NotNull(stored?.RepeatView);
        Assert.NotEqual(id, document.RepeatView!.Id);
        Assert.Equal(Json(document), Json(stored));
        Assert.Equal([true, false], stored.RepeatView.Objects.Take(2).Select(o => o.Revalidated));
        Assert.Equal([false, true], stored.RepeatView.Objects.Take(2).Select(o => o.FromCache));
        Assert.DoesNotContain(stored.Objects, o => o.FromCache || o.Revalidated);
        Assert.Contains("\"fromCache\":true", Json(stored), StringComparison.Ordinal);
        Assert.Equal(1, stored.RepeatView.Objects[1].Cache!.AfterRequest!.HitCount);
        Assert.Null(stored.Objects[1].Cache!.BeforeRequest);
        Assert.Null(stored.Objects[0].Cache);
        Assert.Equal((true, false), (stored.Connections[0].KeptForRepeatView, stored.RepeatView.Connections[0].KeptForRepeatView));
        Assert.Equal((null, (int?)stored.Connections[0].Id), (stored.Connections[0].KeptFrom, stored.RepeatView.Connections[0].KeptFrom));

        // The list shows the first view only; the repeat view is still readable by its own id.
        Assert.Equal([id], (await db.PageLoads.ListAsync(new PageLoadQuery())).Items.Select(i => i.Id));
        Assert.Equal(Json(document.RepeatView), Json((await db.PageLoads.GetAsync(document.RepeatView.Id))!));

        Assert.True(await db.PageLoads.DeleteAsync(id));
        Assert.Null(await db.PageLoads.GetAsync(document.RepeatView.Id));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task A_completed_load_writes_its_repeat_view_once_and_a_load_without_one_has_none(string engine)
    {
        await using var db = await TempDatabase.CreateAsync(engine);
        var document = WithRepeat();
        var id = await db.PageLoads.StartAsync(document.Url, document.Options, document.StartedAt);
        document.Id = id;
        await db.PageLoads.CompleteAsync(document);
        await db.PageLoads.CompleteAsync(document); // a rewrite replaces the repeat view, never adds a second
        var stored = await db.PageLoads.GetAsync(id);
        Assert.Equal(Json(document), Json(stored!));
        Assert.Single((await db.PageLoads.ListAsync(new PageLoadQuery())).Items);

        var plain = SampleDocuments.Rich();
        var plainId = await db.PageLoads.InsertAsync(plain);
        Assert.Null((await db.PageLoads.GetAsync(plainId))!.RepeatView);
        Assert.DoesNotContain("\"repeatView\":{", Json((await db.PageLoads.GetAsync(plainId))!), StringComparison.Ordinal);
    }
}
