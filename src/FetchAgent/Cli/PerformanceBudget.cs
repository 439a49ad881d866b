using System.Globalization;
using FetchAgent.Engine.Model;

namespace FetchAgent.Cli;

/// <summary>
/// <c>--budget metric=limit,…</c>: sitespeed.io's performance budgets, for CI. Each named metric of the page load must
/// not exceed its limit; <c>load</c> exits 3 when any does, naming each on stderr.
/// </summary>
internal sealed record PerformanceBudget(IReadOnlyList<(string Metric, double Limit)> Limits)
{
    public const int ExceededExitCode = 3;

    /// <summary>The metrics a budget may name: the document's metrics, and the short names users write.</summary>
    private static readonly Dictionary<string, Func<PageMetrics, double>> Metrics = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ttfbMs"] = m => m.TtfbMs,
        ["domContentLoadedMs"] = m => m.DomContentLoadedMs,
        ["startRenderMs"] = m => m.StartRenderMs,
        ["speedIndexMs"] = m => m.SpeedIndexMs,
        ["visuallyCompleteMs"] = m => m.VisuallyCompleteMs,
        ["onLoadMs"] = m => m.OnLoadMs,
        ["perceivedMs"] = m => m.PerceivedMs,
        ["actualMs"] = m => m.ActualMs,
        ["bytes"] = m => m.Bytes,
        ["objects"] = m => m.ObjectCount,
        ["objectCount"] = m => m.ObjectCount,
        ["connections"] = m => m.ConnectionCount,
        ["connectionCount"] = m => m.ConnectionCount,
        ["retriedRequests"] = m => m.RetriedRequests,
    };

    public static string Names => string.Join(", ", Metrics.Keys);

    public static PerformanceBudget Parse(string text)
    {
        var limits = new List<(string, double)>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=');
            var name = equals > 0 ? part[..equals].Trim() : part;
            if (!Metrics.ContainsKey(name))
                throw new UsageException($"--budget: unknown metric '{name}' ({Names})");
            if (equals < 0 || !double.TryParse(part[(equals + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var limit) || limit < 0 || !double.IsFinite(limit))
                throw new UsageException($"--budget: '{part}' must be metric=limit with a limit ≥ 0");
            limits.Add((name, limit));
        }

        if (limits.Count == 0)
            throw new UsageException("--budget needs at least one metric=limit");
        return new PerformanceBudget(limits);
    }

    /// <summary>Every limit the load went over, as one line each (empty when within budget).</summary>
    public IReadOnlyList<string> Exceeded(PageLoadDocument document) =>
        [.. Limits
            .Select(l => (l.Metric, l.Limit, Value: Metrics[l.Metric](document.Metrics)))
            .Where(l => l.Value > l.Limit)
            .Select(l => $"budget exceeded: {l.Metric} {Format(l.Value)} > {Format(l.Limit)}")];

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
