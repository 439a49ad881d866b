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
        var available = SchemaMigrations.Available(folder, "postgresql");
        // Session-level: held across the transactions below, released in finally (or when the connection closes).
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@key);", new { key = LockKey }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        try
        {
            foreach (var (version, file) in await SchemaMigrations.PendingAsync(connection, available, location, cancellationToken).ConfigureAwait(false))
                await ApplyAsync(version, file, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock(@key);", new { key = LockKey }, cancellationToken: CancellationToken.None)).ConfigureAwait(false);
        }
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

        await SchemaMigrations.RecordAsync(connection, transaction, version, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
