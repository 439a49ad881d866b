namespace FetchAgent.Storage;

/// <summary>Comparisons of strategies: which page loads ran for which strategy (and swept value), in the order they ran.</summary>
public interface IComparisonStore
{
    /// <summary>
    /// Records a comparison that may sweep <paramref name="sweepOption"/> (<c>maxConnectionsPerHost</c> or
    /// <c>pipelineDepth</c>) over values: each row carries the value it ran with (null when nothing is swept).
    /// Returns its id.
    /// </summary>
    Task<long> InsertAsync(
        string url, int runs, string? sweepOption, IReadOnlyList<(string Strategy, int? SweepValue, long PageLoadId)> rows, DateTimeOffset createdAt,
        CancellationToken cancellationToken = default);

    /// <summary>The comparison with each row's figures read from its page load; null when unknown.</summary>
    /// <remarks>A row whose page load was deleted keeps its strategy and position, with no page load id and figures 0.</remarks>
    Task<Comparison?> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Past comparisons, newest first (at most <paramref name="limit"/>): what ran, not the figures.</summary>
    Task<IReadOnlyList<ComparisonListItem>> ListAsync(int limit, CancellationToken cancellationToken = default);
}
