using Dapper;
using FetchAgent.Engine.Model;
using FetchAgent.Storage.Sqlite;
using FetchAgent.TestServers.Samples;
using Microsoft.Data.Sqlite;

namespace FetchAgent.Storage.Tests;

/// <summary>
/// 0004 rebuilds page_loads so its CHECK allows 'cancelled' (SQLite cannot alter a CHECK): upgraded from a real
/// database at 0003 with loads, objects, connections and a comparison in it (then 0005 and 0006 add their columns),
/// nothing may be lost or loosened.
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
            foreach (var name in new[] { "0001_initial", "0002_concurrent_loads", "0003_discovery_ms" })
                File.Copy(Path.Combine(TempDatabase.ShippedMigrations, name + ".sql"), Path.Combine(at0003, name + ".sql"));

            // The rows are written as today's daemon writes them (into a scratch database with every migration), then
            // copied, column by column, into a database at 0003: the upgrade meets real rows in the old shape.
            var scratch = new SqliteDatabase(Path.Combine(folder, "scratch.db"));
            await scratch.MigrateAsync();
            var scratchStore = new SqlitePageLoadStore(scratch);
            var first = await scratchStore.InsertAsync(SampleDocuments.Rich("http://old.test/a"));
            var second = await scratchStore.InsertAsync(SampleDocuments.Rich("http://old.test/b", Engine.Model.ConnectionStrategy.Serial));
            var newest = await scratchStore.InsertAsync(SampleDocuments.Rich("http://old.test/c"));
            var comparison = await new SqliteComparisonStore(scratch).InsertAsync("http://old.test/a", 1, [("pipelined", first), ("serial", second)], SampleDocuments.Noon);
            Assert.True(await scratchStore.DeleteAsync(newest)); // AUTOINCREMENT's high-water mark is now above every id left
            SqliteConnection.ClearAllPools();

            var path = Path.Combine(folder, "test.db");
            var old = new SqliteDatabase(path, at0003);
            await old.MigrateAsync();
            var columns = new Dictionary<string, string[]>();
            await using (var copy = await old.OpenAsync())
            {
                await copy.ExecuteAsync($"ATTACH DATABASE '{Path.Combine(folder, "scratch.db")}' AS scratch;");
                foreach (var table in Tables)
                {
                    columns[table] = [.. await copy.QueryAsync<string>($"SELECT name FROM pragma_table_info('{table}') ORDER BY cid;")];
                    var list = string.Join(", ", columns[table]);
                    await copy.ExecuteAsync($"INSERT INTO main.{table} ({list}) SELECT {list} FROM scratch.{table};");
                }

                // AUTOINCREMENT's high-water marks too (sqlite_sequence has no key to replace by: delete, then copy).
                await copy.ExecuteAsync("DELETE FROM main.sqlite_sequence; INSERT INTO main.sqlite_sequence (name, seq) SELECT name, seq FROM scratch.sqlite_sequence;");
                await copy.ExecuteAsync("DETACH DATABASE scratch;");
            }

            var before = await DumpAsync(old, columns);
            string indexesBefore;
            await using (var connection = await old.OpenAsync())
                indexesBefore = string.Join("\n", await connection.QueryAsync<string>("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'page_loads' ORDER BY name;"));
            SqliteConnection.ClearAllPools();

            var upgraded = new SqliteDatabase(path);
            await upgraded.MigrateAsync();

            // Every row of every table, as it was (objects and connections were not cascaded away, the comparison's
            // rows still point at their loads), and the documents read back whole.
            Assert.Equal(before, await DumpAsync(upgraded, columns)); // the columns 0003 had; later migrations only add
            var store = new SqlitePageLoadStore(upgraded);
            Assert.Equal(SampleDocuments.Rich("http://old.test/a").Objects.Count, (await store.GetAsync(first))!.Objects.Count);
            await using var check = await upgraded.OpenAsync();
            // (page_loads_repeat_of is 0011's own, new index: every index 0003 had is kept as it was.)
            Assert.Equal(indexesBefore, string.Join("\n", await check.QueryAsync<string>("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'page_loads' AND name <> 'page_loads_repeat_of' ORDER BY name;")));
            Assert.Equal(0L, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM sqlite_master WHERE name LIKE '%page_loads_new%';"));
            Assert.Equal("ok", await check.ExecuteScalarAsync<string>("PRAGMA integrity_check;"));
            Assert.Empty(await check.QueryAsync("PRAGMA foreign_key_check;"));
            Assert.Equal(1L, await check.ExecuteScalarAsync<long>("PRAGMA foreign_keys;"));

            // The new status is allowed, others still refused.
            var cancelled = SampleDocuments.Rich("http://old.test/d");
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

    private static readonly string[] Tables = ["page_loads", "objects", "connections", "comparisons", "comparison_rows"];

    /// <summary>Every row of the data tables, in order, as text: the given columns of each.</summary>
    private static async Task<string> DumpAsync(SqliteDatabase database, IReadOnlyDictionary<string, string[]> columns)
    {
        await using var connection = await database.OpenAsync();
        var lines = new List<string>();
        foreach (var table in Tables)
        {
            foreach (var row in await connection.QueryAsync($"SELECT {string.Join(", ", columns[table])} FROM {table} ORDER BY 1, 2;"))
                lines.Add(table + ": " + string.Join(" | ", ((IDictionary<string, object?>)row).Select(p => $"{p.Key}={p.Value}")));
        }

        Assert.True(lines.Count(l => l.StartsWith("objects:", StringComparison.Ordinal)) > 0);
        return string.Join("\n", lines);
    }
}
