using System.Net;
using System.Net.Sockets;
using FetchAgent.Storage.Postgres;
using FetchAgent.TestServers;
using FetchAgent.TestServers.Samples;
using Npgsql;

namespace FetchAgent.Storage.Tests;

/// <summary>Issue 17, item 1: PostgreSQL named by its setting, migrated once by agents starting together, its failures named.</summary>
public sealed class PostgresDatabaseTests
{
    [Theory]
    [InlineData("Host=127.0.0.1;Database=fetchagent", true)]
    [InlineData("host = db.example;Port=5433", true)]
    [InlineData("Server=127.0.0.1;Database=x", true)]
    [InlineData("postgresql://user:secret@127.0.0.1:5433/fetchagent", true)]
    [InlineData("postgres://127.0.0.1/fetchagent", true)]
    [InlineData("data/fetchagent.db", false)]
    [InlineData("/var/lib/fetchagent/Host=odd.db", false)]
    [InlineData("C:\\data\\fetchagent.db", false)]
    public void The_setting_names_PostgreSQL_by_a_URL_or_a_Host_key_and_anything_else_is_a_SQLite_path(string setting, bool postgres)
    {
        Assert.Equal(postgres, PostgresSettings.Recognises(setting));
    }

    [Fact]
    public void A_URL_becomes_Npgsqls_connection_string_and_the_location_never_shows_the_password()
    {
        var settings = PostgresSettings.Parse("postgresql://fetch%40agent:p%3Ass@127.0.0.1:5433/loads?sslmode=disable");

        Assert.Equal(("127.0.0.1", 5433, "loads", "fetch@agent", "p:ss", SslMode.Disable),
            (settings.Host, settings.Port, settings.Database, settings.Username, settings.Password, settings.SslMode));
        Assert.Equal("postgresql://127.0.0.1:5433/loads", PostgresSettings.Location(settings));
        Assert.Equal(5432, PostgresSettings.Parse("postgresql://127.0.0.1/loads").Port);
    }

    [Fact]
    public async Task Agents_starting_together_apply_each_migration_once()
    {
        var name = await TestPostgres.CreateDatabaseAsync();
        try
        {
            var agents = Enumerable.Range(0, 6).Select(_ => new PostgresDatabase(TestPostgres.ConnectionString(name))).ToList();
            using var go = new ManualResetEventSlim();
            var migrations = agents.Select(a => Task.Run(async () =>
            {
                go.Wait();
                await a.OpenCheckedAsync();
            })).ToList();
            go.Set();
            await Task.WhenAll(migrations);

            await using var connection = new NpgsqlConnection(TestPostgres.ConnectionString(name));
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT string_agg(version, ',' ORDER BY version) FROM schema_migrations;", connection);
            var shipped = Directory.EnumerateFiles(PostgresDatabase.ShippedMigrations, "*.sql").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
            Assert.Equal(string.Join(',', shipped), await command.ExecuteScalarAsync());
            foreach (var agent in agents)
                await agent.DisposeAsync();
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(name);
        }
    }

    [Fact]
    public async Task Every_column_the_migrations_leave_is_listed_in_the_schemas_order_and_no_other()
    {
        await using var db = await TempDatabase.CreateAsync("postgresql");
        await using var connection = new NpgsqlConnection(TestPostgres.ConnectionString(db.PostgresName));
        await connection.OpenAsync();

        foreach (var table in new[] { Tables.PageLoads, Tables.Objects, Tables.Connections, Tables.Comparisons, Tables.ComparisonRows })
        {
            await using var command = new NpgsqlCommand(
                $"SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = '{table.Name}' AND table_schema = 'public';", connection);
            Assert.Equal(string.Join(',', table.AllColumns), await command.ExecuteScalarAsync());
        }
    }

    [Fact]
    public async Task A_server_that_does_not_answer_is_unusable_at_start_and_unhealthy_when_pinged()
    {
        // A loopback port nobody listens on: bound, then closed.
        var port = LoopbackPorts.Free();
        await using var database = new PostgresDatabase($"Host=127.0.0.1;Port={port};Username=postgres;Database=fetchagent;Timeout=5");

        var unusable = await Assert.ThrowsAsync<DatabaseUnusableException>(() => database.OpenCheckedAsync());
        var ping = await database.PingAsync();

        Assert.Equal($"postgresql://127.0.0.1:{port}/fetchagent", unusable.DatabasePath);
        Assert.StartsWith($"database postgresql://127.0.0.1:{port}/fetchagent cannot be used: Failed to connect to 127.0.0.1:{port}: Connection refused", unusable.Message, StringComparison.Ordinal);
        Assert.NotNull(ping);
        Assert.False(ping.DiskFull);
        Assert.Contains("Connection refused", ping.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_the_server_refuses_is_a_storage_failure_that_health_reports_until_a_write_succeeds()
    {
        await using var db = await TempDatabase.CreateAsync("postgresql");
        var document = SampleDocuments.Rich();
        document.Id = await db.PageLoads.StartAsync(document.Url, document.Options, document.StartedAt);
        // The server refuses the write (no such table): as a full disk or a dropped connection would, it names why.
        await db.ScalarAsync("ALTER TABLE objects RENAME TO objects_gone; SELECT 0;");

        var refused = await Assert.ThrowsAsync<PostgresException>(() => db.PageLoads.CompleteAsync(document));
        var failure = StorageFailure.From(refused);

        Assert.Equal("relation \"objects\" does not exist (PostgreSQL 42P01)", failure!.Cause);
        Assert.False(failure.DiskFull);
        Assert.Equal(failure.Cause, db.Store.Health.LastWriteFailure!.Cause);

        await db.ScalarAsync("ALTER TABLE objects_gone RENAME TO objects; SELECT 0;");
        Assert.Equal(FetchAgent.Engine.Model.PageLoadStatus.Running, (await db.PageLoads.GetAsync(document.Id))!.Status);
        await db.PageLoads.CompleteAsync(document);
        Assert.Null(db.Store.Health.LastWriteFailure);
    }
}
