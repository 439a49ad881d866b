using Dapper;
using Microsoft.Data.Sqlite;

namespace FetchAgent.Storage.Sqlite;

public sealed partial class SqliteDatabase
{
    /// <summary>
    /// What the daemon runs before it listens: the file opens, <c>PRAGMA quick_check</c> finds no damage, pending
    /// migrations apply, and a write can be begun. Anything else is a <see cref="DatabaseUnusableException"/> whose
    /// message is one line naming the file and the cause, instead of a stack trace or a daemon that answers 500.
    /// </summary>
    /// <remarks>
    /// quick_check reads every page (about a second per 500 MB here) but skips the index-to-table cross-check of
    /// integrity_check, which is O(N log N). The write probe rolls back: it proves the file, its folder (for the
    /// -wal and -shm files) and the mount accept a write lock, not that the disk has room; a full disk is reported
    /// when a write meets it.
    /// </remarks>
    public async Task OpenCheckedAsync(CancellationToken cancellationToken = default)
    {
        if (Directory.Exists(Path))
            throw new DatabaseUnusableException(Path, "it is a directory, not a file");
        try
        {
            await using (var connection = await OpenAsync(cancellationToken).ConfigureAwait(false))
            {
                var problems = (await connection.QueryAsync<string>(new CommandDefinition("PRAGMA quick_check;", cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
                if (problems is not ["ok"])
                    throw new DatabaseUnusableException(Path, $"PRAGMA quick_check found damage ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}; the first: {StorageFailure.OneLine(problems[0])})");
            }

            await MigrateAsync(cancellationToken).ConfigureAwait(false);

            await using (var connection = await OpenAsync(cancellationToken).ConfigureAwait(false))
            {
                // SQLite falls back to read-only when it cannot open the file for writing; say so rather than fail later.
                if (SQLitePCL.raw.sqlite3_db_readonly(connection.Handle, "main") == 1)
                    throw new DatabaseUnusableException(Path, "it can only be opened read-only");
                await using var transaction = connection.BeginTransaction(deferred: false);
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES ('write-probe', '');", transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException or DatabaseUnusableException)
        {
            // A failed check must not leave the file open in the pool (a test unmounts it; an operator moves it aside).
            SqliteConnection.ClearAllPools();
            throw e switch
            {
                DatabaseUnusableException unusable => unusable,
                SqliteException sqlite => new DatabaseUnusableException(Path, SqliteFailure.Describe(sqlite)),
                _ => new DatabaseUnusableException(Path, StorageFailure.OneLine(e.Message)),
            };
        }
    }
}
