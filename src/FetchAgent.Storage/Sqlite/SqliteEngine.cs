namespace FetchAgent.Storage.Sqlite;

/// <summary>SQLite: the database is a file, named by its path; created and migrated when first opened.</summary>
internal sealed class SqliteEngine : IStorageEngine
{
    public bool Accepts(string database) => true;

    public Stores Open(string database, AgentIdentity agent)
    {
        var sqlite = new SqliteDatabase(database);
        return new Stores(sqlite, new SqlitePageLoadStore(sqlite, agent), new SqliteComparisonStore(sqlite)) { Agents = new LocalAgentStore(agent) };
    }

    public StorageFailure? FailureOf(Exception exception) => SqliteFailure.From(exception);
}
