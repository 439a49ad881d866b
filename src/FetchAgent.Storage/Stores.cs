namespace FetchAgent.Storage;

/// <summary>One database and the stores over it, as <see cref="StorageFactory.Create"/> opens them.</summary>
public sealed record Stores(IDatabase Database, IPageLoadStore PageLoads, IComparisonStore Comparisons);
