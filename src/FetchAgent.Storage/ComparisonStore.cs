namespace FetchAgent.Storage;

/// <summary>Comparisons of strategies: which page loads ran for which strategy.</summary>
public sealed class ComparisonStore
{
    public ComparisonStore(Database database) => _ = database;

    /// <summary>Records a comparison and its rows (one per run of each strategy, in order); returns its id.</summary>
    public Task<long> InsertAsync(string url, int runs, IReadOnlyList<(string Strategy, long PageLoadId)> rows, DateTimeOffset createdAt, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>The comparison with each row's figures read from its page load; null when unknown.</summary>
    public Task<Comparison?> GetAsync(long id, CancellationToken cancellationToken = default) => throw new NotImplementedException();
}

public sealed record Comparison(long Id, string Url, int Runs, DateTimeOffset CreatedAt, IReadOnlyList<ComparisonRow> Rows);

public sealed record ComparisonRow(string Strategy, long? PageLoadId, double PerceivedMs, double ActualMs, double StartRenderMs, int ConnectionCount, int ReusedRequests);
