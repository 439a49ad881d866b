using Dapper;
using FetchAgent.Engine.Timeline;
using Microsoft.Data.Sqlite;

namespace FetchAgent.Storage.Tests;

/// <summary>
/// 0004 rebuilds page_loads so its CHECK allows 'cancelled' (SQLite cannot alter a CHECK): upgraded from a real
/// database at 0003 with loads, objects, connections and a comparison in it, nothing may be lost or loosened.
/// </summary>
public sealed class CancelledMigrationTests
{
    [Fact]
    public async Task Upgrading_from_0003_keeps_every_row_index_foreign_key_and_id_and_allows_cancelled()
    {
        var folder = TempDatabase.NewFolder();
        try
        {
            var at0003 = Path.Combine(folder, "at-0003");
            Directory.CreateDirectory(at0003);
            // Every migration but 0004 (0005 only adds columns to objects; the store of today writes them): the rows
            // below are written as today's daemon writes them, then 0004 rebuilds page_loads under them.
            foreach (var name in new[] { "0001_initial", "0002_concurrent_loads", "0003_discovery_ms", "0005_parsed_bytes" })
                File.Copy(Path.Combine(TempDatabase.ShippedMigrations, name + ".sql"), Path.Combine(at0003, name + ".sql"));
            var path = Path.Combine(folder, "test.db");
            var old = new Database(path, at0003);
            await old.MigrateAsync();
            var oldStore = new PageLoadStore(old);
            var first = await oldStore.InsertAsync(Documents.Rich("http://old.test/a"));
            var second = await oldStore.InsertAsync(Documents.Rich("http://old.test/b", Engine.ConnectionStrategy.Serial));
            var newest = await oldStore.InsertAsync(Documents.Rich("http://old.test/c"));
            var comparison = await new ComparisonStore(old).InsertAsync("http://old.test/a", 1, [("pipelined", first), ("serial", second)], Documents.Noon);
            Assert.True(await oldStore.DeleteAsync(newest)); // AUTOINCREMENT's high-water mark is now above every id left
            var before = await DumpAsync(old);
            string indexesBefore;
            await using (var connection = await old.OpenAsync())
                indexesBefore = string.Join("\n", await connection.QueryAsync<string>("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'page_loads' ORDER BY name;"));
            SqliteConnection.ClearAllPools();

            var upgraded = new Database(path);
            await upgraded.MigrateAsync();

            // Every row of every table, as it was (objects and connections were not cascaded away, the comparison's
            // rows still point at their loads), and the documents read back whole.
            Assert.Equal(before, await DumpAsync(upgraded));
            var store = new PageLoadStore(upgraded);
            Assert.Equal(Documents.Rich("http://old.test/a").Objects.Count, (await store.GetAsync(first))!.Objects.Count);
            await using var check = await upgraded.OpenAsync();
            Assert.Equal(indexesBefore, string.Join("\n", await check.QueryAsync<string>("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'page_loads' ORDER BY name;")));
            Assert.Equal(0L, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM sqlite_master WHERE name LIKE '%page_loads_new%';"));
            Assert.Equal("ok", await check.ExecuteScalarAsync<string>("PRAGMA integrity_check;"));
            Assert.Empty(await check.QueryAsync("PRAGMA foreign_key_check;"));
            Assert.Equal(1L, await check.ExecuteScalarAsync<long>("PRAGMA foreign_keys;"));

            // The new status is allowed, others still refused.
            var cancelled = Documents.Rich("http://old.test/d");
            cancelled.Status = PageLoadStatus.Cancelled;
            var id = await store.InsertAsync(cancelled);
            Assert.True(id > newest, $"id {id} reuses one up to {newest}");
            Assert.Equal("cancelled", await check.ExecuteScalarAsync<string>("SELECT status FROM page_loads WHERE id = @id;", new { id }));
            Assert.Equal(PageLoadStatus.Cancelled, (await store.GetAsync(id))!.Status);
            var refused = await Assert.ThrowsAsync<SqliteException>(() => check.ExecuteAsync("UPDATE page_loads SET status = 'cancelled-ish' WHERE id = @id;", new { id }));
            Assert.Contains("CHECK constraint failed", refused.Message, StringComparison.Ordinal);

            // The foreign keys still act on the rebuilt table: a delete cascades and unlinks its comparison row.
            Assert.True(await store.DeleteAsync(first));
            Assert.Equal(0L, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM objects WHERE page_load_id = @first;", new { first }));
            Assert.Equal(0L, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM connections WHERE page_load_id = @first;", new { first }));
            Assert.Equal([(long?)null, second], await check.QueryAsync<long?>("SELECT page_load_id FROM comparison_rows WHERE comparison_id = @comparison ORDER BY position;", new { comparison }));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Every row of the four data tables, in order, as text.</summary>
    private static async Task<string> DumpAsync(Database database)
    {
        await using var connection = await database.OpenAsync();
        var lines = new List<string>();
        foreach (var table in new[] { "page_loads", "objects", "connections", "comparisons", "comparison_rows" })
        {
            foreach (var row in await connection.QueryAsync($"SELECT * FROM {table} ORDER BY 1, 2;"))
                lines.Add(table + ": " + string.Join(" | ", ((IDictionary<string, object?>)row).Select(p => $"{p.Key}={p.Value}")));
        }

        Assert.True(lines.Count(l => l.StartsWith("objects:", StringComparison.Ordinal)) > 0);
        return string.Join("\n", lines);
    }
}
