using Dapper;

namespace FetchAgent.Storage.Sqlite;

/// <summary>Comparisons of strategies in SQLite: which page loads ran for which strategy.</summary>
public sealed class SqliteComparisonStore : IComparisonStore
{
    private static readonly string InsertComparison = $"{Tables.Comparisons.Insert}; SELECT last_insert_rowid();";

    private static readonly string InsertRow = Tables.ComparisonRows.Insert + ";";

    private readonly SqliteDatabase _database;

    public SqliteComparisonStore(SqliteDatabase database) => _database = database;

    /// <summary>
    /// Records a comparison that may sweep <paramref name="sweepOption"/> (<c>maxConnectionsPerHost</c> or
    /// <c>pipelineDepth</c>) over values: each row carries the value it ran with (null when nothing is swept).
    /// </summary>
    public async Task<long> InsertAsync(
        string url, int runs, string? sweepOption, IReadOnlyList<(string Strategy, int? SweepValue, long PageLoadId)> rows, DateTimeOffset createdAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(rows);
        return await _database.WriteAsync(async (connection, ct) =>
        {
            await using var transaction = connection.BeginTransaction(deferred: false);
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                InsertComparison, new { Url = url, Runs = runs, CreatedAt = StoredText.Time(createdAt), SweepOption = sweepOption }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            var rowParameters = rows.Select((r, i) => new { ComparisonId = id, Position = i, r.Strategy, r.PageLoadId, r.SweepValue }).ToList();
            await connection.ExecuteAsync(new CommandDefinition(InsertRow, rowParameters, transaction, cancellationToken: ct)).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return id;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The comparison with each row's figures read from its page load; null when unknown.</summary>
    /// <remarks>A row whose page load was deleted keeps its strategy and position, with no page load id and figures 0.</remarks>
    public async Task<Comparison?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        var sql =
            $"SELECT {Tables.Comparisons.SelectList} FROM comparisons WHERE id = @id; " +
            "SELECT r.strategy, r.sweep_value, r.page_load_id, coalesce(p.perceived_ms, 0.0) AS perceived_ms, coalesce(p.actual_ms, 0.0) AS actual_ms, " +
            "coalesce(p.start_render_ms, 0.0) AS start_render_ms, coalesce(p.connection_count, 0) AS connection_count, " +
            "coalesce(p.reused_requests, 0) AS reused_requests, p.status AS load_status, " +
            "v.id AS repeat_page_load_id, coalesce(v.perceived_ms, 0.0) AS repeat_perceived_ms, coalesce(v.actual_ms, 0.0) AS repeat_actual_ms, " +
            "coalesce(v.start_render_ms, 0.0) AS repeat_start_render_ms, coalesce(v.connection_count, 0) AS repeat_connection_count, " +
            "coalesce(v.reused_requests, 0) AS repeat_reused_requests, v.status AS repeat_status " +
            "FROM comparison_rows r LEFT JOIN page_loads p ON p.id = r.page_load_id LEFT JOIN page_loads v ON v.repeat_of = p.id " +
            "WHERE r.comparison_id = @id ORDER BY r.position;";
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: true);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(sql, new { id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var head = await results.ReadSingleOrDefaultAsync<ComparisonHead>().ConfigureAwait(false);
        if (head is null)
            return null;
        var figures = (await results.ReadAsync<ComparisonFigures>().ConfigureAwait(false)).ToList();
        var rows = figures
            .Select(r => new ComparisonRow(r.Strategy, r.PageLoadId, r.PerceivedMs, r.ActualMs, r.StartRenderMs, checked((int)r.ConnectionCount), checked((int)r.ReusedRequests))
            {
                SweepValue = r.SweepValue is { } v ? checked((int)v) : null,
                RepeatView = r.RepeatPageLoadId is null ? null : new ComparisonRow(
                    r.Strategy, r.RepeatPageLoadId, r.RepeatPerceivedMs, r.RepeatActualMs, r.RepeatStartRenderMs,
                    checked((int)r.RepeatConnectionCount), checked((int)r.RepeatReusedRequests)) { SweepValue = r.SweepValue is { } w ? checked((int)w) : null },
            })
            .ToList();
        var sweep = head.SweepOption is { } option
            ? new ComparisonSweep(option, figures.Where(f => f.SweepValue is not null).Select(f => checked((int)f.SweepValue!.Value)).Distinct().ToList())
            : null;
        return new Comparison(head.Id, head.Url, checked((int)head.Runs), StoredText.Time(head.CreatedAt), rows, Summarise(figures)) { Sweep = sweep };
    }

    /// <summary>Past comparisons, newest first (at most <paramref name="limit"/>): what ran, not the figures.</summary>
    public async Task<IReadOnlyList<ComparisonListItem>> ListAsync(int limit, CancellationToken cancellationToken = default)
    {
        var sql =
            $"SELECT {Tables.Comparisons.SelectListOf("c")}, " +
            "(SELECT group_concat(strategy, ',') FROM (SELECT DISTINCT strategy FROM comparison_rows r WHERE r.comparison_id = c.id ORDER BY position)) AS strategies, " +
            "(SELECT group_concat(sweep_value, ',') FROM (SELECT DISTINCT sweep_value FROM comparison_rows r WHERE r.comparison_id = c.id AND sweep_value IS NOT NULL ORDER BY position)) AS sweep_values, " +
            "(SELECT count(*) FROM comparison_rows r WHERE r.comparison_id = c.id) AS loads " +
            "FROM comparisons c ORDER BY c.created_at DESC, c.id DESC LIMIT @limit;";
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var heads = await connection.QueryAsync<ComparisonHead>(new CommandDefinition(sql, new { limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return heads.Select(h => new ComparisonListItem(
            h.Id, h.Url, checked((int)h.Runs), StoredText.Time(h.CreatedAt),
            (h.Strategies ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList(),
            h.SweepOption is { } option
                ? new ComparisonSweep(option, (h.SweepValues ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => int.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).Distinct().ToList())
                : null,
            checked((int)h.Loads))).ToList();
    }

    /// <summary>
    /// Per strategy, in the order strategies first ran: computed when read, so a deleted load drops out of
    /// its strategy's figures instead of leaving stale ones. Only completed and partial loads count.
    /// </summary>
    /// <remarks>In a sweep, one summary per strategy and value, in the order they first ran.</remarks>
    private static List<StrategySummary> Summarise(List<ComparisonFigures> rows) =>
        rows.GroupBy(r => (r.Strategy, r.SweepValue))
            .Select(g => StrategySummary.Of(
                g.Key.Strategy,
                g.Select((r, i) => new StrategySummary.RunFigures(i + 1, r.PageLoadId, r.LoadStatus is "completed" or "partial", r.PerceivedMs, r.ActualMs)).ToList(),
                g.Select((r, i) => r.RepeatPageLoadId is null ? (StrategySummary.RunFigures?)null
                    : new StrategySummary.RunFigures(i + 1, r.RepeatPageLoadId, r.RepeatStatus is "completed" or "partial", r.RepeatPerceivedMs, r.RepeatActualMs)).ToList()) with
            {
                SweepValue = g.Key.SweepValue is { } v ? checked((int)v) : null,
            })
            .ToList();

    private sealed class ComparisonHead
    {
        public long Id { get; set; }
        public string Url { get; set; } = "";
        public long Runs { get; set; }
        public string CreatedAt { get; set; } = "";
        public string? SweepOption { get; set; }
        public string? Strategies { get; set; }
        public string? SweepValues { get; set; }
        public long Loads { get; set; }
    }

    private sealed class ComparisonFigures
    {
        public string Strategy { get; set; } = "";
        public long? SweepValue { get; set; }
        public long? PageLoadId { get; set; }
        public double PerceivedMs { get; set; }
        public double ActualMs { get; set; }
        public double StartRenderMs { get; set; }
        public long ConnectionCount { get; set; }
        public long ReusedRequests { get; set; }
        public string? LoadStatus { get; set; }
        public long? RepeatPageLoadId { get; set; }
        public double RepeatPerceivedMs { get; set; }
        public double RepeatActualMs { get; set; }
        public double RepeatStartRenderMs { get; set; }
        public long RepeatConnectionCount { get; set; }
        public long RepeatReusedRequests { get; set; }
        public string? RepeatStatus { get; set; }
    }
}
