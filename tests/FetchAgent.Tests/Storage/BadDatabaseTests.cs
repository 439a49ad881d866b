using FetchAgent.Cli;
using FetchAgent.Engine.Model;
using FetchAgent.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace FetchAgent.Tests.Storage;

/// <summary>
/// Issue 9, item 6: a database file the daemon cannot use stops <c>serve</c> before it listens, with one line naming
/// the file and the cause, exit 1, no stack trace. Real files, each broken the way a disk or a person breaks one.
/// </summary>
public sealed class BadDatabaseTests
{
    [Fact]
    public async Task A_file_of_garbage_is_not_a_database()
    {
        var path = NewPath();
        await File.WriteAllBytesAsync(path, [.. Enumerable.Range(0, 64 * 1024).Select(i => (byte)(i * 7919 % 251))]);

        await AssertRefusedAsync(path, "file is not a database (SQLite error 26)");
    }

    [Fact]
    public async Task A_truncated_file_is_refused()
    {
        var path = await RealDatabaseAsync();
        var length = new FileInfo(path).Length;
        await using (var file = new FileStream(path, FileMode.Open))
            file.SetLength(length / 2);

        await AssertRefusedAsync(path, "database disk image is malformed (SQLite error 11)");
    }

    [Fact]
    public async Task A_file_with_a_damaged_page_fails_quick_check()
    {
        var path = await RealDatabaseAsync();
        var (page, pageSize) = await TablePageAsync(path, "page_loads");
        await using (var file = new FileStream(path, FileMode.Open))
        {
            // Junk over the table's root page, header byte included: what a torn write or a bad sector leaves.
            file.Position = (page - 1) * pageSize;
            file.Write([.. Enumerable.Repeat((byte)0x5A, (int)pageSize)]);
        }

        // quick_check meets the page and SQLite stops it with SQLITE_CORRUPT rather than listing it.
        await AssertRefusedAsync(path, "database disk image is malformed (SQLite error 11)");
    }

    [Fact]
    public async Task A_directory_where_the_file_should_be_is_refused()
    {
        var path = NewPath();
        Directory.CreateDirectory(path);

        await AssertRefusedAsync(path, "it is a directory, not a file");
    }

    /// <remarks>
    /// chmod 0444 alone proves nothing here: the tests run as root, and root writes a 0444 file anyway. The immutable
    /// attribute (chattr +i) binds root too, so the file really is read-only, as 0444 is for an ordinary user.
    /// SQLite then opens it read-only instead of failing, which is what the daemon must notice.
    /// </remarks>
    [Fact]
    public async Task A_read_only_file_is_refused()
    {
        await using var disk = await Tmpfs.MountAsync("8m");
        var path = await RealDatabaseAsync(Path.Combine(disk.Folder, "fetchagent.db"));
        Assert.Equal(0, (await Tmpfs.RunAsync("chmod", "0444", path)).Exit);
        var (exit, output) = await Tmpfs.RunAsync("chattr", "+i", path);
        Assert.True(exit == 0, $"chattr +i {path}: {output}");
        try
        {
            // Migrating the file to WAL is its first write; SQLite says it cannot.
            await AssertRefusedAsync(path, "attempt to write a readonly database (SQLite error 8)");
        }
        finally
        {
            await Tmpfs.RunAsync("chattr", "-i", path);
        }
    }

    /// <remarks>The folder (and file) on a tmpfs remounted read-only: the -wal and -shm files cannot be made, nothing can be written.</remarks>
    [Fact]
    public async Task A_database_in_a_read_only_folder_is_refused()
    {
        await using var disk = await Tmpfs.MountAsync("8m");
        var path = await RealDatabaseAsync(Path.Combine(disk.Folder, "fetchagent.db"));
        await disk.RemountReadOnlyAsync();

        await AssertRefusedAsync(path, "attempt to write a readonly database (SQLite error 8)");
    }

    /// <summary>serve exits 1 before listening, with exactly one line: the file and <paramref name="cause"/>.</summary>
    private static async Task<string> AssertRefusedAsync(string path, string cause)
    {
        var stderr = new StringWriter();
        // Should it start after all, it would serve until cancelled: then the exit is 0 and the test fails.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var exit = await CommandLine.RunAsync(["serve", "--db", path, "--urls", "http://127.0.0.1:0"], new StringWriter(), stderr, timeout.Token);

        var text = stderr.ToString();
        Assert.Equal(1, exit);
        Assert.Single(text.TrimEnd('\n').Split('\n'));
        Assert.True(text.StartsWith($"fetchagent: database {path} cannot be used: {cause}", StringComparison.Ordinal), text);
        Assert.DoesNotContain("   at ", text);
        return text;
    }

    private static string NewPath() => Path.Combine(Directory.CreateTempSubdirectory("fetchagent-bad-db-").FullName, "fetchagent.db");

    /// <summary>A migrated database holding 300 loads (many pages), checkpointed so every page is in the main file.</summary>
    private static async Task<string> RealDatabaseAsync(string? path = null)
    {
        path ??= NewPath();
        var database = new SqliteDatabase(path);
        await database.MigrateAsync();
        var store = new SqlitePageLoadStore(database);
        for (var i = 0; i < 300; i++)
        {
            await store.InsertAsync(new PageLoadDocument
            {
                Url = $"http://127.0.0.1:{8000 + i}/page-{i}",
                StartedAt = DateTimeOffset.UnixEpoch.AddMinutes(i),
                Status = PageLoadStatus.Completed,
                Options = new LoadOptions(),
            });
        }

        await using (var connection = await database.OpenAsync())
        await using (var command = new SqliteCommand("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;", connection))
            await command.ExecuteNonQueryAsync();
        SqliteConnection.ClearAllPools();
        return path;
    }

    private static async Task<(long Page, long PageSize)> TablePageAsync(string path, string table)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = new SqliteCommand($"SELECT (SELECT rootpage FROM sqlite_schema WHERE name = '{table}'), (SELECT page_size FROM pragma_page_size);", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
