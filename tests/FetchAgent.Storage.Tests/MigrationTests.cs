using Dapper;
using FetchAgent.Storage.Sqlite;
using FetchAgent.TestServers.Samples;

namespace FetchAgent.Storage.Tests;

public sealed class MigrationTests
{
    [Fact]
    public async Task A_fresh_database_gets_every_table_and_its_folder_is_created()
    {
        await using var db = await TempDatabase.CreateAsync();

        Assert.True(File.Exists(db.Database.Path));
        await using var connection = await db.Database.OpenAsync();
        var tables = (await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name;")).ToList();
        foreach (var table in new[] { "comparison_rows", "comparisons", "connections", "objects", "page_loads", "schema_migrations" })
            Assert.Contains(table, tables);
        // Every shipped migration, in name order (numbers may have gaps: 0003 can ship before 0002).
        var shipped = Directory.EnumerateFiles(TempDatabase.ShippedMigrations, "*.sql")
            .Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["0001_initial", "0002_concurrent_loads", "0003_discovery_ms", "0004_cancelled", "0005_parsed_bytes", "0006_har_imports_and_sweeps", "0007_error_kind", "0008_decoded_bytes", "0009_http2_connections", "0010_proxy", "0011_repeat_view", "0012_time_wait", "0013_tcp_info", "0015_after_onload", "0016_agents", "0018_cache_and_proxy_fields", "0019_request_priority"], shipped);
        Assert.Equal(shipped, await connection.QueryAsync<string>("SELECT version FROM schema_migrations ORDER BY rowid;"));
        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode;"));
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys;"));
        Assert.Equal((long)SqliteDatabase.BusyTimeoutMs, await connection.ExecuteScalarAsync<long>("PRAGMA busy_timeout;"));
        Assert.Null(await db.Database.PingAsync());
    }

    [Fact]
    public void Each_database_keeps_its_migrations_in_a_folder_of_its_own_and_the_build_ships_every_one()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "FetchAgent.sln")))
            root = root.Parent;
        var migrations = Path.Combine(root?.FullName ?? throw new InvalidOperationException("FetchAgent.sln not found"), "migrations");

        // A migration dropped at the root would be copied to the output but applied by no database.
        Assert.Empty(Directory.EnumerateFiles(migrations));
        Assert.Equal(["postgresql", "sqlite"], Directory.EnumerateDirectories(migrations).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(
            Directory.EnumerateFiles(Path.Combine(migrations, "sqlite")).Select(Path.GetFileName).Order(StringComparer.Ordinal),
            Directory.EnumerateFiles(TempDatabase.ShippedMigrations).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(
            Directory.EnumerateFiles(Path.Combine(migrations, "postgresql")).Select(Path.GetFileName).Order(StringComparer.Ordinal),
            Directory.EnumerateFiles(FetchAgent.Storage.Postgres.PostgresDatabase.ShippedMigrations).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_already_migrated_database_starts_again_without_changes()
    {
        await using var db = await TempDatabase.CreateAsync();
        var id = await db.PageLoads.InsertAsync(SampleDocuments.Rich());
        var before = await SnapshotAsync(db.Database);

        var again = new SqliteDatabase(db.Database.Path);
        await again.MigrateAsync();

        Assert.Equal(before, await SnapshotAsync(again));
        Assert.NotNull(await new SqlitePageLoadStore(again).GetAsync(id));
    }

    [Fact]
    public async Task Loads_stored_before_concurrent_loads_existed_read_back_as_having_run_alone()
    {
        var folder = TempDatabase.NewFolder();
        try
        {
            // The database as the first release left it: 0001 only, one finished load in it.
            var first = Path.Combine(folder, "first-release");
            Directory.CreateDirectory(first);
            File.Copy(Path.Combine(TempDatabase.ShippedMigrations, "0001_initial.sql"), Path.Combine(first, "0001_initial.sql"));
            var path = Path.Combine(folder, "test.db");
            var old = new SqliteDatabase(path, first);
            await old.MigrateAsync();
            long id;
            await using (var connection = await old.OpenAsync())
            {
                id = await connection.ExecuteScalarAsync<long>(
                    "INSERT INTO page_loads (url, host, started_at, status, strategy, options, actual_ms) " +
                    "VALUES ('http://old.test/', 'old.test', '2026-01-01T00:00:00.0000000Z', 'completed', 'serial', '{\"strategy\":\"serial\"}', 42); " +
                    "SELECT last_insert_rowid();");
            }

            var upgraded = new SqliteDatabase(path);
            await upgraded.MigrateAsync();

            var stored = await new SqlitePageLoadStore(upgraded).GetAsync(id);
            Assert.NotNull(stored);
            Assert.Equal((42.0, 0), (stored.Metrics.ActualMs, stored.ConcurrentLoads));
            await using var check = await upgraded.OpenAsync();
            Assert.Equal(["0001_initial", "0002_concurrent_loads", "0003_discovery_ms", "0004_cancelled", "0005_parsed_bytes", "0006_har_imports_and_sweeps", "0007_error_kind", "0008_decoded_bytes", "0009_http2_connections", "0010_proxy", "0011_repeat_view", "0012_time_wait", "0013_tcp_info", "0015_after_onload", "0016_agents", "0018_cache_and_proxy_fields", "0019_request_priority"], await check.QueryAsync<string>("SELECT version FROM schema_migrations ORDER BY version;"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_database_with_an_unknown_newer_migration_refuses_to_start()
    {
        var folder = TempDatabase.NewFolder();
        try
        {
            // A "newer build": the shipped migrations plus one this build does not have.
            var newer = Path.Combine(folder, "newer-migrations");
            Directory.CreateDirectory(newer);
            foreach (var file in Directory.EnumerateFiles(TempDatabase.ShippedMigrations, "*.sql"))
                File.Copy(file, Path.Combine(newer, Path.GetFileName(file)));
            await File.WriteAllTextAsync(Path.Combine(newer, "0003_x.sql"), "CREATE TABLE future (id INTEGER PRIMARY KEY);");
            var path = Path.Combine(folder, "test.db");
            await new SqliteDatabase(path, newer).MigrateAsync();

            var thisBuild = new SqliteDatabase(path);
            var refused = await Assert.ThrowsAsync<MigrationException>(() => thisBuild.MigrateAsync());

            Assert.Equal($"database {path} was migrated by a newer FetchAgent (migration 0003_x is unknown to this build)", refused.Message);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Migrations_apply_in_name_order_across_a_gap_and_a_later_filled_gap_applies_too()
    {
        var folder = TempDatabase.NewFolder();
        try
        {
            var migrations = Path.Combine(folder, "migrations");
            Directory.CreateDirectory(migrations);
            await File.WriteAllTextAsync(Path.Combine(migrations, "0001_a.sql"), "CREATE TABLE a (id INTEGER PRIMARY KEY);");
            await File.WriteAllTextAsync(Path.Combine(migrations, "0003_c.sql"), "ALTER TABLE a ADD COLUMN c REAL;");
            var database = new SqliteDatabase(Path.Combine(folder, "test.db"), migrations);
            await database.MigrateAsync();

            await File.WriteAllTextAsync(Path.Combine(migrations, "0002_b.sql"), "CREATE TABLE b (id INTEGER PRIMARY KEY);");
            await new SqliteDatabase(Path.Combine(folder, "test.db"), migrations).MigrateAsync();

            await using var connection = await database.OpenAsync();
            Assert.Equal(["0001_a", "0003_c", "0002_b"], await connection.QueryAsync<string>("SELECT version FROM schema_migrations ORDER BY rowid;"));
            Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM pragma_table_info('a') WHERE name = 'c';"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_failing_migration_leaves_nothing_of_itself_behind()
    {
        var folder = TempDatabase.NewFolder();
        try
        {
            var migrations = Path.Combine(folder, "migrations");
            Directory.CreateDirectory(migrations);
            await File.WriteAllTextAsync(Path.Combine(migrations, "0001_a.sql"), "CREATE TABLE a (id INTEGER PRIMARY KEY);");
            await File.WriteAllTextAsync(Path.Combine(migrations, "0002_b.sql"), "CREATE TABLE b (id INTEGER PRIMARY KEY); CREATE TABLE a (x);");
            var database = new SqliteDatabase(Path.Combine(folder, "test.db"), migrations);

            var failed = await Assert.ThrowsAsync<MigrationException>(() => database.MigrateAsync());

            Assert.Contains("migration 0002_b failed", failed.Message, StringComparison.Ordinal);
            await using var connection = await database.OpenAsync();
            Assert.Equal(["0001_a"], await connection.QueryAsync<string>("SELECT version FROM schema_migrations;"));
            Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM sqlite_master WHERE name = 'b';"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Everything a migration could change: the recorded versions with their times, and the schema.</summary>
    private static async Task<string> SnapshotAsync(SqliteDatabase database)
    {
        await using var connection = await database.OpenAsync();
        var versions = await connection.QueryAsync<string>("SELECT version || ' ' || applied_at FROM schema_migrations ORDER BY version;");
        var schema = await connection.QueryAsync<string>("SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_master ORDER BY name;");
        return string.Join("\n", versions.Concat(schema));
    }
}
