using FetchAgent.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace FetchAgent.Storage.Tests;

/// <summary>A real SQLite file in a fresh temp folder (a sub-folder, so creating the file must create it), deleted afterwards.</summary>
public sealed class TempDatabase : IAsyncDisposable
{
    private TempDatabase(string folder, SqliteDatabase database)
    {
        Folder = folder;
        Database = database;
        PageLoads = new SqlitePageLoadStore(database);
        Comparisons = new SqliteComparisonStore(database);
    }

    public string Folder { get; }
    public SqliteDatabase Database { get; }

    /// <summary>The stores as the daemon sees them: through their interfaces.</summary>
    public IPageLoadStore PageLoads { get; }

    public IComparisonStore Comparisons { get; }

    /// <summary>The migrations the build copied next to the test assembly: the real ones.</summary>
    public static string ShippedMigrations => SqliteDatabase.ShippedMigrations;

    public static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "fetchagent-storage-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>A migrated database at <c>folder/data/test.db</c>.</summary>
    public static async Task<TempDatabase> CreateAsync()
    {
        var folder = NewFolder();
        var database = new SqliteDatabase(Path.Combine(folder, "data", "test.db"));
        await database.MigrateAsync();
        return new TempDatabase(folder, database);
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; release them before deleting the folder.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }
}
