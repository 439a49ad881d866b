using System.Data.Common;
using System.Globalization;
using Dapper;
using FetchAgent.Storage.Rows;

namespace FetchAgent.Storage;

/// <summary>
/// A comparison's rows as both databases read them: each row's figures from its page load (and, issue 15, from that
/// load's repeat view), the sweep's values, and the summaries per strategy, computed when read. Each store opens the
/// connection and its own read transaction, and lists comparisons with its own SQL; the rows map here.
/// </summary>
internal static class ComparisonReads
{
    /// <summary>Comparison <c>@id</c>, then each of its rows with its load's figures and its repeat view's, in position order.</summary>
    private static readonly string Sql =
        $"SELECT {Tables.Comparisons.SelectList} FROM comparisons WHERE id = @id; " +
        "SELECT r.strategy, r.sweep_value, r.page_load_id, coalesce(p.perceived_ms, 0.0) AS perceived_ms, coalesce(p.actual_ms, 0.0) AS actual_ms, " +
        "coalesce(p.start_render_ms, 0.0) AS start_render_ms, coalesce(p.connection_count, 0) AS connection_count, " +
        "coalesce(p.reused_requests, 0) AS reused_requests, p.status AS load_status, " +
        "v.id AS repeat_page_load_id, coalesce(v.perceived_ms, 0.0) AS repeat_perceived_ms, coalesce(v.actual_ms, 0.0) AS repeat_actual_ms, " +
        "coalesce(v.start_render_ms, 0.0) AS repeat_start_render_ms, coalesce(v.connection_count, 0) AS repeat_connection_count, " +
        "coalesce(v.reused_requests, 0) AS repeat_reused_requests, v.status AS repeat_status " +
        "FROM comparison_rows r LEFT JOIN page_loads p ON p.id = r.page_load_id LEFT JOIN page_loads v ON v.repeat_of = p.id " +
        "WHERE r.comparison_id = @id ORDER BY r.position;";

    /// <summary>Comparison <paramref name="id"/> read in <paramref name="transaction"/>; null when there is no such comparison.</summary>
    /// <remarks>A row whose page load was deleted keeps its strategy and position, with no page load id and figures 0.</remarks>
    public static async Task<Comparison?> ReadAsync(DbConnection connection, DbTransaction transaction, long id, CancellationToken cancellationToken)
    {
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(Sql, new { id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var head = await results.ReadSingleOrDefaultAsync<ComparisonHead>().ConfigureAwait(false);
        if (head is null)
            return null;
        var figures = (await results.ReadAsync<ComparisonFigures>().ConfigureAwait(false)).ToList();
        var (rows, sweep, summary) = Build(head.SweepOption, figures);
        return new Comparison(head.Id, head.Url, checked((int)head.Runs), StoredText.Time(head.CreatedAt), rows, summary) { Sweep = sweep };
    }

    /// <summary>
    /// The list's items, read with the store's own <paramref name="sql"/>: each comparison's head with its strategies and
    /// swept values (each distinct value once, in the order it first ran, comma-separated) and how many loads it has.
    /// </summary>
    public static async Task<List<ComparisonListItem>> ListAsync(DbConnection connection, string sql, object parameters, CancellationToken cancellationToken)
    {
        var heads = await connection.QueryAsync<ComparisonHead>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return ListItems(heads);
    }

    private static List<ComparisonListItem> ListItems(IEnumerable<ComparisonHead> heads) => heads
        .Select(h => new ComparisonListItem(
            h.Id, h.Url, checked((int)h.Runs), StoredText.Time(h.CreatedAt),
            (h.Strategies ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList(),
            h.SweepOption is { } option
                ? new ComparisonSweep(option, (h.SweepValues ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => int.Parse(v, CultureInfo.InvariantCulture)).Distinct().ToList())
                : null,
            checked((int)h.Loads)))
        .ToList();

    /// <summary>The rows, the sweep (when the comparison is one) and the summaries, from the figures read.</summary>
    private static (List<ComparisonRow> Rows, ComparisonSweep? Sweep, List<StrategySummary> Summary) Build(string? sweepOption, List<ComparisonFigures> figures)
    {
        var rows = figures
            .Select(r => new ComparisonRow(r.Strategy, r.PageLoadId, r.PerceivedMs, r.ActualMs, r.StartRenderMs, checked((int)r.ConnectionCount), checked((int)r.ReusedRequests))
            {
                SweepValue = r.SweepValue is { } v ? checked((int)v) : null,
                RepeatView = r.RepeatPageLoadId is null ? null : new ComparisonRow(
                    r.Strategy, r.RepeatPageLoadId, r.RepeatPerceivedMs, r.RepeatActualMs, r.RepeatStartRenderMs,
                    checked((int)r.RepeatConnectionCount), checked((int)r.RepeatReusedRequests)) { SweepValue = r.SweepValue is { } w ? checked((int)w) : null },
            })
            .ToList();
        var sweep = sweepOption is { } option
            ? new ComparisonSweep(option, figures.Where(f => f.SweepValue is not null).Select(f => checked((int)f.SweepValue!.Value)).Distinct().ToList())
            : null;
        return (rows, sweep, Summarise(figures));
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

    /// <summary>A comparisons row; the list adds <see cref="Strategies"/>, <see cref="SweepValues"/> and <see cref="Loads"/>.</summary>
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

    internal sealed class ComparisonFigures
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
