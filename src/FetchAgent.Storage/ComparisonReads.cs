using FetchAgent.Storage.Rows;

namespace FetchAgent.Storage;

/// <summary>
/// A comparison's rows as both databases read them: each row's figures from its page load (and, issue 15, from that
/// load's repeat view), the sweep's values, and the summaries per strategy, computed when read.
/// </summary>
internal static class ComparisonReads
{
    /// <summary>Each row of comparison <c>@id</c> with its load's figures and its repeat view's, in position order.</summary>
    public const string FiguresSql =
        "SELECT r.strategy, r.sweep_value, r.page_load_id, coalesce(p.perceived_ms, 0.0) AS perceived_ms, coalesce(p.actual_ms, 0.0) AS actual_ms, " +
        "coalesce(p.start_render_ms, 0.0) AS start_render_ms, coalesce(p.connection_count, 0) AS connection_count, " +
        "coalesce(p.reused_requests, 0) AS reused_requests, p.status AS load_status, " +
        "v.id AS repeat_page_load_id, coalesce(v.perceived_ms, 0.0) AS repeat_perceived_ms, coalesce(v.actual_ms, 0.0) AS repeat_actual_ms, " +
        "coalesce(v.start_render_ms, 0.0) AS repeat_start_render_ms, coalesce(v.connection_count, 0) AS repeat_connection_count, " +
        "coalesce(v.reused_requests, 0) AS repeat_reused_requests, v.status AS repeat_status " +
        "FROM comparison_rows r LEFT JOIN page_loads p ON p.id = r.page_load_id LEFT JOIN page_loads v ON v.repeat_of = p.id " +
        "WHERE r.comparison_id = @id ORDER BY r.position;";

    /// <summary>The rows, the sweep (when the comparison is one) and the summaries, from the figures read.</summary>
    public static (List<ComparisonRow> Rows, ComparisonSweep? Sweep, List<StrategySummary> Summary) Build(string? sweepOption, List<ComparisonFigures> figures)
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
