using Dapper;
using Microsoft.Data.Sqlite;

namespace FetchAgent.Storage.Sqlite;

/// <summary>
/// Applies <c>migrations/sqlite/*.sql</c> in name order, each in its own transaction together with its row in
/// <c>schema_migrations</c>, so a crash leaves a migration either applied and recorded or neither.
/// </summary>
internal sealed class MigrationRunner(SqliteConnection connection, string databasePath, string folder)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var available = SchemaMigrations.Available(folder, "sqlite");
        foreach (var (version, file) in await SchemaMigrations.PendingAsync(connection, available, databasePath, cancellationToken).ConfigureAwait(false))
            await ApplyAsync(version, file, cancellationToken).ConfigureAwait(false);
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

        await SchemaMigrations.RecordAsync(connection, transaction, version, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
