using FetchAgent.Storage;
using Npgsql;

namespace FetchAgent.Bench;

/// <summary>What the storage bench measured against PostgreSQL: the same operations as SQLite's, on the same generated loads.</summary>
public sealed record PostgresStorageReport(
    string Location,
    TimeSpan SeedTime,
    IReadOnlyList<double> SeedWriteMs,
    IReadOnlyList<OperationSamples> Operations,
    long DatabaseBytes,
    long StoredLoads,
    long StoredObjects,
    string ServerVersion);

/// <summary>
/// Issue 17: the storage bench against PostgreSQL, next to SQLite. A fresh database in the server
/// <c>--postgres</c> names (created, migrated as an agent migrates it, dropped at the end), filled and measured
/// through the same <see cref="IPageLoadStore"/> calls as SQLite's file; each call takes a pooled connection, as a
/// request does, over TCP on loopback.
/// </summary>
public static class PostgresStorageBench
{
    public static async Task<PostgresStorageReport> RunAsync(StorageBenchOptions options, string server, TextWriter progress)
    {
        var name = await CreateDatabaseAsync(server);
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        try
        {
            var stores = StorageFactory.Create(connectionString, AgentIdentity.Of("bench", null));
            await using var database = (Storage.Postgres.PostgresDatabase)stores.Database;
            await database.MigrateAsync();
            progress.WriteLine($"bench: storing {options.Loads} loads of {options.Objects} objects into {database.Location}");
            var (seedTime, seedWrites, operations) = await StorageBench.MeasureStoreAsync(stores.PageLoads, options, progress);
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT (SELECT count(*) FROM page_loads), (SELECT count(*) FROM objects), pg_database_size(current_database()), current_setting('server_version') || ', fsync ' || current_setting('fsync') || ', synchronous_commit ' || current_setting('synchronous_commit');", connection);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            return new PostgresStorageReport(database.Location, seedTime, seedWrites, operations, reader.GetInt64(2), reader.GetInt64(0), reader.GetInt64(1), reader.GetString(3));
        }
        finally
        {
            await DropDatabaseAsync(server, name);
        }
    }

    /// <summary>A new, empty database in <paramref name="server"/>'s cluster; returns its name.</summary>
    internal static async Task<string> CreateDatabaseAsync(string server)
    {
        var name = "fetchagent_bench_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name};", connection);
        await command.ExecuteNonQueryAsync();
        return name;
    }

    internal static async Task DropDatabaseAsync(string server, string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE);", connection);
        await command.ExecuteNonQueryAsync();
    }
}
