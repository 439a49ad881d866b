using Dapper;

namespace FetchAgent.Storage;

/// <summary>Comparisons of strategies: which page loads ran for which strategy.</summary>
public sealed class ComparisonStore
{
    private readonly Database _database;

    public ComparisonStore(Database database) => _database = database;

    /// <summary>Records a comparison and its rows (one per run of each strategy, in order); returns its id.</summary>
    public async Task<long> InsertAsync(string url, int runs, IReadOnlyList<(string Strategy, long PageLoadId)> rows, DateTimeOffset createdAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(rows);
        return await _database.WriteAsync(async (connection, ct) =>
        {
            await using var transaction = connection.BeginTransaction(deferred: false);
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "INSERT INTO comparisons (url, runs, created_at) VALUES (@url, @runs, @createdAt); SELECT last_insert_rowid();",
                new { url, runs, createdAt = StoredText.Time(createdAt) }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            var rowParameters = rows.Select((r, i) => new { comparisonId = id, position = i, strategy = r.Strategy, pageLoadId = r.PageLoadId }).ToList();
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO comparison_rows (comparison_id, position, strategy, page_load_id) VALUES (@comparisonId, @position, @strategy, @pageLoadId);",
                rowParameters, transaction, cancellationToken: ct)).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return id;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The comparison with each row's figures read from its page load; null when unknown.</summary>
    /// <remarks>A row whose page load was deleted keeps its strategy and position, with no page load id and figures 0.</remarks>
    public async Task<Comparison?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        const string sql =
            "SELECT id, url, runs, created_at FROM comparisons WHERE id = @id; " +
            "SELECT r.strategy, r.page_load_id, coalesce(p.perceived_ms, 0.0) AS perceived_ms, coalesce(p.actual_ms, 0.0) AS actual_ms, " +
            "coalesce(p.start_render_ms, 0.0) AS start_render_ms, coalesce(p.connection_count, 0) AS connection_count, " +
            "coalesce(p.reused_requests, 0) AS reused_requests, p.status AS load_status " +
            "FROM comparison_rows r LEFT JOIN page_loads p ON p.id = r.page_load_id WHERE r.comparison_id = @id ORDER BY r.position;";
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: true);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(sql, new { id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var head = await results.ReadSingleOrDefaultAsync<ComparisonHead>().ConfigureAwait(false);
        if (head is null)
            return null;
        var figures = (await results.ReadAsync<ComparisonFigures>().ConfigureAwait(false)).ToList();
        var rows = figures
            .Select(r => new ComparisonRow(r.Strategy, r.PageLoadId, r.PerceivedMs, r.ActualMs, r.StartRenderMs, checked((int)r.ConnectionCount), checked((int)r.ReusedRequests)))
            .ToList();
        return new Comparison(head.Id, head.Url, checked((int)head.Runs), StoredText.Time(head.CreatedAt), rows, Summarise(figures));
    }

    /// <summary>
    /// Per strategy, in the order strategies first ran: computed when read, so a deleted load drops out of
    /// its strategy's figures instead of leaving stale ones. Only completed and partial loads count.
    /// </summary>
    private static List<StrategySummary> Summarise(List<ComparisonFigures> rows) =>
        rows.GroupBy(r => r.Strategy, StringComparer.Ordinal)
            .Select(g => StrategySummary.Of(g.Key, g.Select((r, i) => new StrategySummary.RunFigures(
                i + 1, r.PageLoadId, r.LoadStatus is "completed" or "partial", r.PerceivedMs, r.ActualMs))))
            .ToList();

    private sealed class ComparisonHead
    {
        public long Id { get; set; }
        public string Url { get; set; } = "";
        public long Runs { get; set; }
        public string CreatedAt { get; set; } = "";
    }

    private sealed class ComparisonFigures
    {
        public string Strategy { get; set; } = "";
        public long? PageLoadId { get; set; }
        public double PerceivedMs { get; set; }
        public double ActualMs { get; set; }
        public double StartRenderMs { get; set; }
        public long ConnectionCount { get; set; }
        public long ReusedRequests { get; set; }
        public string? LoadStatus { get; set; }
    }
}

/// <summary>A comparison: its rows (one per load, in the order they ran) and a summary per strategy.</summary>
public sealed record Comparison(long Id, string Url, int Runs, DateTimeOffset CreatedAt, IReadOnlyList<ComparisonRow> Rows, IReadOnlyList<StrategySummary> Summary);

public sealed record ComparisonRow(string Strategy, long? PageLoadId, double PerceivedMs, double ActualMs, double StartRenderMs, int ConnectionCount, int ReusedRequests);
