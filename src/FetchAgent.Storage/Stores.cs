namespace FetchAgent.Storage;

/// <summary>One database and the stores over it, as <see cref="StorageFactory.Create"/> opens them.</summary>
public sealed record Stores(IDatabase Database, IPageLoadStore PageLoads, IComparisonStore Comparisons)
{
    /// <summary>Issue 17: the agents that share the database (only this one for a database no other agent can reach).</summary>
    public IAgentStore Agents { get; init; } = new LocalAgentStore(AgentIdentity.Default);

    /// <summary>Issue 17: the work queue agents share; null for a database only one daemon uses (SQLite).</summary>
    public IWorkQueue? Queue { get; init; }

    /// <summary>Issue 17: live progress that other agents can follow; null for a database only one daemon uses (SQLite).</summary>
    public ILiveProgress? LiveProgress { get; init; }
}
