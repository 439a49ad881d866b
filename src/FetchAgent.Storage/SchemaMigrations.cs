using System.Data.Common;
using System.Globalization;
using Dapper;

namespace FetchAgent.Storage;

/// <summary>
/// What both databases' migration runners do the same way: the shipped <c>migrations/&lt;dialect&gt;/*.sql</c> files by
/// version, the <c>schema_migrations</c> table that records what was applied, the refusal of a database a newer
/// FetchAgent migrated, and the record of a migration applied. Each runner keeps how it serialises with other processes
/// (SQLite's immediate transaction and foreign-key pragmas, PostgreSQL's advisory lock) and how it reads a failure.
/// </summary>
internal static class SchemaMigrations
{
    private const string CreateTable =
        "CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL);";

    /// <summary>Version (file name without <c>.sql</c>) to file, in ordinal name order.</summary>
    /// <param name="dialect">The folder the build copies the migrations from and to: <c>sqlite</c>, <c>postgresql</c>.</param>
    public static SortedDictionary<string, string> Available(string folder, string dialect)
    {
        if (!Directory.Exists(folder))
            throw new MigrationException($"migrations folder {folder} does not exist; the build should copy migrations/{dialect}/*.sql to migrations/{dialect}/ next to FetchAgent.Storage.dll");
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(folder, "*.sql"))
            files.Add(Path.GetFileNameWithoutExtension(file), file);
        if (files.Count == 0)
            throw new MigrationException($"migrations folder {folder} holds no .sql files");
        return files;
    }

    /// <summary>
    /// Creates <c>schema_migrations</c> when missing and returns the available migrations it does not record, in order.
    /// </summary>
    /// <exception cref="MigrationException">The database records a version this build does not ship: a newer FetchAgent changed the schema in ways this one cannot know.</exception>
    public static async Task<List<(string Version, string File)>> PendingAsync(
        DbConnection connection, SortedDictionary<string, string> available, string location, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(CreateTable, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var applied = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT version FROM schema_migrations ORDER BY version;", cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
        var unknown = applied.FirstOrDefault(v => !available.ContainsKey(v));
        if (unknown is not null)
            throw new MigrationException($"database {location} was migrated by a newer FetchAgent (migration {unknown} is unknown to this build)");
        return available
            .Where(m => !applied.Contains(m.Key, StringComparer.Ordinal))
            .Select(m => (m.Key, m.Value))
            .ToList();
    }

    /// <summary>Records <paramref name="version"/> as applied now, in the transaction that applied it.</summary>
    public static async Task RecordAsync(DbConnection connection, DbTransaction transaction, string version, CancellationToken cancellationToken)
    {
        var appliedAt = DateTimeOffset.UtcNow.ToString(StoredText.TimeFormat, CultureInfo.InvariantCulture);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @appliedAt);", new { version, appliedAt }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}
