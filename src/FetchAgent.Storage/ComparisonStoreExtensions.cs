namespace FetchAgent.Storage;

/// <summary>What every <see cref="IComparisonStore"/> can do with its one insert.</summary>
public static class ComparisonStoreExtensions
{
    /// <summary>Records a comparison that sweeps nothing: its rows (one per run of each strategy, in order); returns its id.</summary>
    public static Task<long> InsertAsync(
        this IComparisonStore store, string url, int runs, IReadOnlyList<(string Strategy, long PageLoadId)> rows, DateTimeOffset createdAt,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(rows);
        return store.InsertAsync(url, runs, null, rows.Select(r => (r.Strategy, (int?)null, r.PageLoadId)).ToList(), createdAt, cancellationToken);
    }
}
