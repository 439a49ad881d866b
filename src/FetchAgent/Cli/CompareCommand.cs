using System.Text.Json;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.Storage;

namespace FetchAgent.Cli;

/// <summary>
/// <c>compare URL --strategies … [--runs N]</c>: a warm-up load, then each strategy once per run, round-robin;
/// a row per strategy with its median run and spread.
/// </summary>
internal static class CompareCommand
{
    public static async Task<int> RunAsync(LoadArguments arguments, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var runs = arguments.Runs ?? 1;
        // A sweep runs every strategy with every value of the swept option, value by value.
        var variants = arguments.SweepOption is null
            ? arguments.Strategies.Select(s => (s, (int?)null, arguments.Options)).ToList()
            : arguments.SweepValues.SelectMany(v => arguments.Strategies.Select(s => (s, (int?)v, arguments.WithSweep(arguments.Options, v)))).ToList();
        var results = await RunSeries.RunAsync(arguments.Url, variants, runs, stderr, cancellationToken, arguments.ProxyUser);
        var summary = RunSeries.Summarise(results);

        if (arguments.Json)
        {
            // Nothing is stored by compare, so medianPageLoadId is null; medianRun names the run (1-based) instead.
            var json = new
            {
                url = Engine.Page.Redaction.Url(arguments.Url),
                runs,
                sweep = arguments.SweepOption is { } option ? new ComparisonSweep(option, arguments.SweepValues) : null,
                rows = results.Select(r => new
                {
                    strategy = r.Strategy,
                    sweepValue = r.SweepValue,
                    run = r.Run,
                    status = r.Document.Status,
                    perceivedMs = r.Document.Metrics.PerceivedMs,
                    actualMs = r.Document.Metrics.ActualMs,
                    startRenderMs = r.Document.Metrics.StartRenderMs,
                    connectionCount = r.Document.Metrics.ConnectionCount,
                    reusedRequests = r.Document.Metrics.ReusedRequests,
                    document = r.Document,
                }),
                summary,
            };
            await stdout.WriteLineAsync(JsonSerializer.Serialize(json, DocumentJson.Indented));
        }
        else
        {
            // In a sweep each row is a strategy with one value: "persistent, 4 per host" / "pipelined, depth 2".
            string Label(StrategySummary s) => s.SweepValue is not { } v ? s.Strategy
                : arguments.SweepOption == "pipelineDepth" ? $"{s.Strategy}, depth {v}" : $"{s.Strategy}, {v} per host";
            var rows = new List<ComparisonTable.Row>();
            foreach (var s in summary)
            {
                var strategyRuns = results.Where(r => r.Strategy == s.Strategy && r.SweepValue == s.SweepValue).ToList();
                rows.Add(new ComparisonTable.Row(s with { Strategy = Label(s) }, RunSeries.MedianRun(strategyRuns, s).Document));
                // Issue 15: a row of its own for the strategy's repeat views, under its first views', from its own median run.
                if (s.RepeatView is { } repeat && RunSeries.MedianRun(strategyRuns, repeat).Document.RepeatView is { } median)
                    rows.Add(new ComparisonTable.Row(repeat with { Strategy = Label(s) + " · repeat view" }, median, RepeatView: true));
            }

            TerminalWaterfall.RenderComparison(rows, stdout, Terminal.UseColor(arguments.NoColor));
        }

        return results.All(r => r.Document.Status == PageLoadStatus.Failed) ? 1 : 0;
    }
}
