using Npgsql;

namespace FetchAgent.TestServers;

/// <summary>
/// The real PostgreSQL cluster <c>./test.sh</c> starts (<c>tests/postgres-cluster.sh</c>): its connection string is
/// in <c>FETCHAGENT_TEST_POSTGRES</c>. Each test makes a database of its own and drops it afterwards. Without the
/// variable a test that needs PostgreSQL fails saying how to start one; it never skips.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "FETCHAGENT_TEST_POSTGRES";

    /// <summary>The cluster's connection string (its <c>postgres</c> database).</summary>
    /// <exception cref="InvalidOperationException">The variable is not set: no cluster to test against.</exception>
    public static string Server =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set: run ./test.sh, or `source tests/postgres-cluster.sh && postgres_cluster_start` before dotnet test");

    /// <summary>The connection string of database <paramref name="name"/> in the cluster.</summary>
    public static string ConnectionString(string name) => new NpgsqlConnectionStringBuilder(Server) { Database = name }.ConnectionString;

    /// <summary>A new, empty database; returns its name.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var name = "fetchagent_test_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(Server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name};", connection);
        await command.ExecuteNonQueryAsync();
        return name;
    }

    /// <summary>Drops the database, ending any session still connected to it.</summary>
    public static async Task DropDatabaseAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(Server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE);", connection);
        await command.ExecuteNonQueryAsync();
    }
}
