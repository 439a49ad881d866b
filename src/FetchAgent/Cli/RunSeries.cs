using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.Storage;

namespace FetchAgent.Cli;

/// <summary>One recorded run of one strategy: its number (1 for the first round) and its document.</summary>
internal sealed record StrategyRun(string Strategy, int Run, PageLoadDocument Document)
{
    /// <summary>In a sweep, the swept option's value this run had; else null.</summary>
    public int? SweepValue { get; init; }
}

/// <summary>
/// <c>load --runs</c> and <c>compare</c>: a warm-up load that is thrown away, then the strategies round-robin
/// run by run (a, b, c, a, b, c…), as the daemon's comparisons run them.
/// </summary>
internal static class RunSeries
{
    public static Task<List<StrategyRun>> RunAsync(
        Uri url, LoadOptions options, IReadOnlyList<ConnectionStrategy> strategies, int runs, TextWriter stderr, CancellationToken cancellationToken,
        Engine.Navigation.ProxyCredentials? proxyUser = null) =>
        RunAsync(url, strategies.Select(s => (s, (int?)null, options)).ToList(), runs, stderr, cancellationToken, proxyUser);

    /// <summary>
    /// The same for variants: a strategy with options (in a sweep, each strategy with each value of the swept option),
    /// round-robin run by run.
    /// </summary>
    public static async Task<List<StrategyRun>> RunAsync(
        Uri url, IReadOnlyList<(ConnectionStrategy Strategy, int? SweepValue, LoadOptions Options)> variants, int runs, TextWriter stderr, CancellationToken cancellationToken,
        Engine.Navigation.ProxyCredentials? proxyUser = null)
    {
        var loader = new PageLoader(proxyEnvironment: Engine.Navigation.ProxyEnvironment.FromProcess());
        // A fresh process pays JIT, the trust store and the server's cold caches on its first load: that
        // load is not recorded, so the cost lands on no strategy (whichever ran first used to look slowest).
        await stderr.WriteLineAsync("fetchagent: warm-up load (not recorded)…");
        await loader.LoadAsync(url, variants[0].Options with { Strategy = variants[0].Strategy }, null, cancellationToken, proxyUser: proxyUser);

        var results = new List<StrategyRun>();
        for (var run = 1; run <= runs; run++)
        {
            foreach (var (strategy, value, options) in variants)
            {
                var name = DocumentJson.Name(strategy);
                await stderr.WriteLineAsync($"fetchagent: run {run}/{runs}, {name}{(value is null ? "" : $" ({value})")}…");
                var document = await loader.LoadAsync(url, options with { Strategy = strategy }, null, cancellationToken, proxyUser: proxyUser);
                results.Add(new StrategyRun(name, run, document) { SweepValue = value });
            }
        }

        return results;
    }

    /// <summary>Per strategy in the order they first ran; a load's id is its stored id, or none (0) without a database.</summary>
    public static List<StrategySummary> Summarise(IEnumerable<StrategyRun> results) =>
        results.GroupBy(r => (r.Strategy, r.SweepValue))
            .Select(g => StrategySummary.Of(
                g.Key.Strategy,
                g.Select((r, i) => Figures(i + 1, r.Document)).ToList(),
                g.Select((r, i) => r.Document.RepeatView is { } repeat ? Figures(i + 1, repeat) : (StrategySummary.RunFigures?)null).ToList()) with { SweepValue = g.Key.SweepValue })
            .ToList();

    private static StrategySummary.RunFigures Figures(int run, PageLoadDocument document) => new(
        run, document.Id == 0 ? null : document.Id, document.Status is PageLoadStatus.Completed or PageLoadStatus.Partial,
        document.Metrics.PerceivedMs, document.Metrics.ActualMs);

    /// <summary>
    /// The run to show for a strategy: its median run; when no run counted (all failed), the median of all
    /// by actual, so there is still one document to print.
    /// </summary>
    public static StrategyRun MedianRun(IReadOnlyList<StrategyRun> strategyRuns, StrategySummary summary) =>
        summary.MedianRun is { } run
            ? strategyRuns[run - 1]
            : strategyRuns[StrategySummary.MedianIndex(strategyRuns.Select(r => r.Document.Metrics.ActualMs).ToList())];
}
