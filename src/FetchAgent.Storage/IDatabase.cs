namespace FetchAgent.Storage;

/// <summary>
/// The database behind the stores, as the daemon and CLI see it: checked and migrated before the daemon listens,
/// asked by <c>/healthz</c> whether it answers, and the health its reads and writes have reported.
/// </summary>
public interface IDatabase
{
    /// <summary>Where the data lives, for an operator's messages (a SQLite file's full path); never a secret.</summary>
    string Location { get; }

    /// <summary>Whether the last write failed, and any damage seen since start (for <c>/healthz</c>).</summary>
    StorageHealth Health { get; }

    /// <summary>Creates the database if missing and applies pending migrations.</summary>
    /// <exception cref="MigrationException">The database was migrated by a newer FetchAgent, or a migration failed.</exception>
    Task MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// What the daemon runs before it listens: the database opens, an integrity check finds no damage, pending
    /// migrations apply, and a write can be begun.
    /// </summary>
    /// <exception cref="DatabaseUnusableException">Damaged, not a database, unreadable or read-only: one line naming it and the cause.</exception>
    /// <exception cref="MigrationException">The database was migrated by a newer FetchAgent.</exception>
    Task OpenCheckedAsync(CancellationToken cancellationToken = default);

    /// <summary>Null when the schema can be read (for <c>/healthz</c>), else why not.</summary>
    Task<StorageFailure?> PingAsync(CancellationToken cancellationToken = default);
}
