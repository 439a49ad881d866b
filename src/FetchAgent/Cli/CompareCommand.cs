using System.Text.Json;
using FetchAgent.Engine.Page;
using FetchAgent.Engine.Timeline;

namespace FetchAgent.Cli;

/// <summary><c>compare URL --strategies …</c>: the same page under each strategy, one after another.</summary>
internal static class CompareCommand
{
    public static async Task<int> RunAsync(LoadArguments arguments, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var loader = new PageLoader();
        var rows = new List<(string Strategy, PageLoadDocument Document)>();
        foreach (var strategy in arguments.Strategies)
        {
            var name = DocumentJson.Name(strategy);
            await stderr.WriteLineAsync($"fetchagent: loading with {name}…");
            var document = await loader.LoadAsync(arguments.Url, arguments.Options with { Strategy = strategy }, null, cancellationToken);
            rows.Add((name, document));
        }

        if (arguments.Json)
        {
            var json = new
            {
                url = arguments.Url.OriginalString,
                rows = rows.Select(r => new
                {
                    strategy = r.Strategy,
                    status = r.Document.Status,
                    perceivedMs = r.Document.Metrics.PerceivedMs,
                    actualMs = r.Document.Metrics.ActualMs,
                    startRenderMs = r.Document.Metrics.StartRenderMs,
                    connectionCount = r.Document.Metrics.ConnectionCount,
                    reusedRequests = r.Document.Metrics.ReusedRequests,
                    document = r.Document,
                }),
            };
            await stdout.WriteLineAsync(JsonSerializer.Serialize(json, DocumentJson.Indented));
        }
        else
        {
            TerminalWaterfall.RenderComparison(rows, stdout, Terminal.UseColor(arguments.NoColor));
        }

        return rows.All(r => r.Document.Status == PageLoadStatus.Failed) ? 1 : 0;
    }
}
