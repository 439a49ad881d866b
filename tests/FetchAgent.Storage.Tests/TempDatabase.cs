using FetchAgent.Storage.Postgres;
using FetchAgent.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using FetchAgent.TestServers;
using Npgsql;

namespace FetchAgent.Storage.Tests;

/// <summary>
/// A real database for one test: a SQLite file in a fresh temp folder (a sub-folder, so creating the file must
/// create it), or a PostgreSQL database of its own in the test cluster (<see cref="TestPostgres"/>); removed afterwards.
/// The store tests run against both: <c>[InlineData("sqlite")] [InlineData("postgresql")]</c>.
/// </summary>
public sealed class TempDatabase : IAsyncDisposable
{
    private readonly SqliteDatabase? _sqlite;
    private readonly PostgresDatabase? _postgres;
    private readonly string? _postgresName;

    private TempDatabase(string folder, SqliteDatabase database, AgentIdentity? agent)
    {
        Folder = folder;
        _sqlite = database;
        Store = database;
        PageLoads = new SqlitePageLoadStore(database, agent);
        Comparisons = new SqliteComparisonStore(database);
        Agents = new LocalAgentStore(agent ?? AgentIdentity.Default);
    }

    private TempDatabase(string name, PostgresDatabase database, AgentIdentity? agent)
    {
        Folder = "";
        _postgres = database;
        _postgresName = name;
        Store = database;
        PageLoads = new PostgresPageLoadStore(database, agent);
        Comparisons = new PostgresComparisonStore(database);
        Agents = new PostgresAgentStore(database);
    }

    /// <summary>The PostgreSQL database's name in the test cluster (PostgreSQL only).</summary>
    public string PostgresName => _postgresName ?? throw new InvalidOperationException("not a PostgreSQL database");

    public string Folder { get; }

    /// <summary>The SQLite database (the SQLite-only tests: migrations, the writer, the schema's pragmas).</summary>
    public SqliteDatabase Database => _sqlite ?? throw new InvalidOperationException("not a SQLite database");

    /// <summary>The database as the daemon sees it.</summary>
    public IDatabase Store { get; }

    /// <summary>The stores as the daemon sees them: through their interfaces.</summary>
    public IPageLoadStore PageLoads { get; }

    public IComparisonStore Comparisons { get; }

    public IAgentStore Agents { get; }

    /// <summary>The migrations the build copied next to the test assembly: the real ones.</summary>
    public static string ShippedMigrations => SqliteDatabase.ShippedMigrations;

    public static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "fetchagent-storage-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>A migrated SQLite database at <c>folder/data/test.db</c>.</summary>
    public static Task<TempDatabase> CreateAsync() => CreateAsync("sqlite");

    /// <summary>A migrated database of <paramref name="engine"/>: <c>sqlite</c> or <c>postgresql</c>.</summary>
    /// <param name="agent">The agent its page-load store records on each load; none unless given.</param>
    public static async Task<TempDatabase> CreateAsync(string engine, AgentIdentity? agent = null)
    {
        if (engine == "postgresql")
        {
            var name = await TestPostgres.CreateDatabaseAsync();
            var postgres = new PostgresDatabase(TestPostgres.ConnectionString(name));
            await postgres.MigrateAsync();
            return new TempDatabase(name, postgres, agent);
        }

        var folder = NewFolder();
        var database = new SqliteDatabase(Path.Combine(folder, "data", "test.db"));
        await database.MigrateAsync();
        return new TempDatabase(folder, database, agent);
    }

    public async Task<long> ScalarAsync(string sql)
    {
        if (_postgres is not null)
        {
            await using var pg = await _postgres.OpenAsync();
            await using var pgCommand = new NpgsqlCommand(sql, pg);
            return Convert.ToInt64(await pgCommand.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }

        await using var connection = await Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
            await TestPostgres.DropDatabaseAsync(_postgresName!);
            return;
        }

        // Pooled connections keep the file open; release them before deleting the folder.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
