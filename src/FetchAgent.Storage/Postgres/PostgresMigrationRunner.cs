using System.Globalization;
using Dapper;
using Npgsql;

namespace FetchAgent.Storage.Postgres;

/// <summary>
/// Applies <c>migrations/postgresql/*.sql</c> in name order, each in its own transaction with its row in
/// <c>schema_migrations</c>, while holding an advisory lock: agents that start together queue on the lock and
/// the later ones find the migrations applied, so each is applied once.
/// </summary>
internal sealed class PostgresMigrationRunner(NpgsqlConnection connection, string location, string folder)
{
    /// <summary>The advisory lock's key, the same in every FetchAgent: "FetchAg" in ASCII.</summary>
    public const long LockKey = 0x46657463684167;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var available = Available();
        // Session-level: held across the transactions below, released in finally (or when the connection closes).
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@key);", new { key = LockKey }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL);", cancellationToken: cancellationToken)).ConfigureAwait(false);
            var applied = (await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT version FROM schema_migrations ORDER BY version;", cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
            var unknown = applied.FirstOrDefault(v => !available.ContainsKey(v));
            if (unknown is not null)
                throw new MigrationException($"database {location} was migrated by a newer FetchAgent (migration {unknown} is unknown to this build)");

            foreach (var (version, file) in available)
            {
                if (!applied.Contains(version, StringComparer.Ordinal))
                    await ApplyAsync(version, file, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock(@key);", new { key = LockKey }, cancellationToken: CancellationToken.None)).ConfigureAwait(false);
        }
    }

    private SortedDictionary<string, string> Available()
    {
        if (!Directory.Exists(folder))
            throw new MigrationException($"migrations folder {folder} does not exist; the build should copy migrations/postgresql/*.sql to migrations/postgresql/ next to FetchAgent.Storage.dll");
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(folder, "*.sql"))
            files.Add(Path.GetFileNameWithoutExtension(file), file);
        if (files.Count == 0)
            throw new MigrationException($"migrations folder {folder} holds no .sql files");
        return files;
    }

    private async Task ApplyAsync(string version, string file, CancellationToken cancellationToken)
    {
        var sql = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        catch (PostgresException e)
        {
            throw new MigrationException($"migration {version} failed on database {location}: {PostgresFailure.Describe(e)}");
        }

        var appliedAt = DateTimeOffset.UtcNow.ToString(StoredText.TimeFormat, CultureInfo.InvariantCulture);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @appliedAt);", new { version, appliedAt }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
