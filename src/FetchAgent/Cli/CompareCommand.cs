using System.Text.Json;
using FetchAgent.Engine.Timeline;

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
        var results = await RunSeries.RunAsync(arguments.Url, arguments.Options, arguments.Strategies, runs, stderr, cancellationToken);
        var summary = RunSeries.Summarise(results);

        if (arguments.Json)
        {
            // Nothing is stored by compare, so medianPageLoadId is null; medianRun names the run (1-based) instead.
            var json = new
            {
                url = Engine.Page.Redaction.Url(arguments.Url),
                runs,
                rows = results.Select(r => new
                {
                    strategy = r.Strategy,
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
            var rows = summary.Select(s => new ComparisonTable.Row(s, RunSeries.MedianRun(results.Where(r => r.Strategy == s.Strategy).ToList(), s).Document)).ToList();
            TerminalWaterfall.RenderComparison(rows, stdout, Terminal.UseColor(arguments.NoColor));
        }

        return results.All(r => r.Document.Status == PageLoadStatus.Failed) ? 1 : 0;
    }
}
