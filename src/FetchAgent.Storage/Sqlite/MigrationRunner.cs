using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace FetchAgent.Storage.Sqlite;

/// <summary>
/// Applies <c>migrations/sqlite/*.sql</c> in name order, each in its own transaction together with its row in
/// <c>schema_migrations</c>, so a crash leaves a migration either applied and recorded or neither.
/// </summary>
internal sealed class MigrationRunner(SqliteConnection connection, string databasePath, string folder)
{
    private const string CreateTable =
        "CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL);";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var available = Available();
        await connection.ExecuteAsync(new CommandDefinition(CreateTable, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var applied = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT version FROM schema_migrations ORDER BY version;", cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();

        // A version this build does not ship means a newer FetchAgent changed the schema in ways we cannot know.
        var unknown = applied.FirstOrDefault(v => !available.ContainsKey(v));
        if (unknown is not null)
            throw new MigrationException($"database {databasePath} was migrated by a newer FetchAgent (migration {unknown} is unknown to this build)");

        foreach (var (version, file) in available)
        {
            if (applied.Contains(version, StringComparer.Ordinal))
                continue;
            await ApplyAsync(version, file, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Version (file name without <c>.sql</c>) to file, in ordinal name order.</summary>
    private SortedDictionary<string, string> Available()
    {
        if (!Directory.Exists(folder))
            throw new MigrationException($"migrations folder {folder} does not exist; the build should copy migrations/sqlite/*.sql to migrations/sqlite/ next to FetchAgent.Storage.dll");
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(folder, "*.sql"))
            files.Add(Path.GetFileNameWithoutExtension(file), file);
        if (files.Count == 0)
            throw new MigrationException($"migrations folder {folder} holds no .sql files");
        return files;
    }

    /// <summary>
    /// Applies one migration with foreign keys off, as SQLite's procedure for schema changes asks
    /// (https://www.sqlite.org/lang_altertable.html#otheralter): a table rebuilt by create, copy, drop and rename
    /// (0004) must not cascade its drop into the tables that refer to it. The pragma is a no-op inside a transaction,
    /// so it is set around it, and <c>PRAGMA foreign_key_check</c> must find nothing before the commit.
    /// </summary>
    private async Task ApplyAsync(string version, string file, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA foreign_keys = OFF;", cancellationToken: cancellationToken)).ConfigureAwait(false);
        try
        {
            await ApplyInTransactionAsync(version, file, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await connection.ExecuteAsync(new CommandDefinition("PRAGMA foreign_keys = ON;", cancellationToken: CancellationToken.None)).ConfigureAwait(false);
        }
    }

    private async Task ApplyInTransactionAsync(string version, string file, CancellationToken cancellationToken)
    {
        var sql = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
        // IMMEDIATE takes the write lock first, so a second process migrating at the same moment waits
        // here and then sees the version already recorded instead of applying it twice.
        await using var transaction = connection.BeginTransaction(deferred: false);
        var already = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM schema_migrations WHERE version = @version;", new { version }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (already > 0)
            return;
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        catch (SqliteException e)
        {
            throw new MigrationException($"migration {version} failed on database {databasePath}: {e.Message}");
        }

        var broken = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT \"table\" || ' → ' || parent FROM pragma_foreign_key_check;", transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
        if (broken.Count > 0)
            throw new MigrationException($"migration {version} failed on database {databasePath}: it leaves {broken.Count} rows whose foreign key points nowhere (the first: {broken[0]})");

        var appliedAt = DateTimeOffset.UtcNow.ToString(StoredText.TimeFormat, CultureInfo.InvariantCulture);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @appliedAt);", new { version, appliedAt }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
