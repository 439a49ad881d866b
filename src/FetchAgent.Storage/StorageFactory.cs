using FetchAgent.Storage.Postgres;
using FetchAgent.Storage.Sqlite;

namespace FetchAgent.Storage;

/// <summary>
/// The one place that knows which databases exist: it opens the stores for the configured database, and asks each
/// engine to name its failures. The daemon, API and CLI know only <see cref="IDatabase"/>, <see cref="IPageLoadStore"/>
/// and <see cref="IComparisonStore"/>.
/// </summary>
public static class StorageFactory
{
    // Asked in order; the first that accepts the setting holds the data. SQLite takes any path, so it comes last:
    // a database recognised by its connection string (PostgreSQL's "Host=...") goes before it.
    private static readonly IStorageEngine[] Engines = [new PostgresEngine(), new SqliteEngine()];

    /// <summary>
    /// The stores for <paramref name="database"/>: a PostgreSQL connection string (<c>Host=…;Database=…</c> or a
    /// <c>postgresql://</c> URL), else a SQLite file's path (created if missing).
    /// </summary>
    /// <param name="agent">Who stores loads through them (recorded on each load); this host's name unless given.</param>
    public static Stores Create(string database, AgentIdentity? agent = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        foreach (var engine in Engines)
        {
            if (engine.Accepts(database))
                return engine.Open(database, agent ?? AgentIdentity.Default);
        }

        throw new ArgumentException($"no database engine accepts '{database}'", nameof(database));
    }

    /// <summary>The failure an engine's exception means; null when no engine knows it.</summary>
    internal static StorageFailure? FailureOf(Exception exception)
    {
        foreach (var engine in Engines)
        {
            if (engine.FailureOf(exception) is { } failure)
                return failure;
        }

        return null;
    }
}
