using Microsoft.Data.Sqlite;

namespace FetchAgent.Storage;

/// <summary>The SQLite file: opens connections with WAL, foreign keys and a busy timeout.</summary>
public sealed class Database
{
    public Database(string path) => Path = System.IO.Path.GetFullPath(path);

    public string Path { get; }

    /// <summary>An open connection with the per-connection pragmas set.</summary>
    public Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Creates the file (and folder) if missing and applies pending migrations; throws <see cref="MigrationException"/> for a newer database.</summary>
    public Task MigrateAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>True when a trivial query answers (for /healthz).</summary>
    public Task<bool> PingAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();
}

/// <summary>The database cannot be used by this build (e.g. it was migrated by a newer FetchAgent).</summary>
public sealed class MigrationException(string message) : Exception(message);
