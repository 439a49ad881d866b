namespace FetchAgent.Storage.Postgres;

/// <summary>
/// PostgreSQL (issue 17): the database several agents share, named by a connection string (<c>Host=…;Database=…</c>)
/// or a <c>postgresql://user:password@host:port/database</c> URL; migrated from <c>migrations/postgresql/</c>.
/// </summary>
internal sealed class PostgresEngine : IStorageEngine
{
    public bool Accepts(string database) => PostgresSettings.Recognises(database);

    public Stores Open(string database, AgentIdentity agent)
    {
        var postgres = new PostgresDatabase(PostgresSettings.Parse(database));
        var pageLoads = new PostgresPageLoadStore(postgres, agent);
        return new Stores(postgres, pageLoads, new PostgresComparisonStore(postgres))
        {
            LiveProgress = new PostgresLiveProgress(postgres, pageLoads, agent),
            Agents = new PostgresAgentStore(postgres),
            Queue = new PostgresWorkQueue(postgres, agent),
        };
    }

    public StorageFailure? FailureOf(Exception exception) => PostgresFailure.From(exception);
}
