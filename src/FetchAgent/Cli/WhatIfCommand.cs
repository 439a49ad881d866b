using System.Globalization;
using System.Text.Json;
using FetchAgent.Daemon;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.WhatIf;
using FetchAgent.Storage;

namespace FetchAgent.Cli;

/// <summary>
/// <c>fetchagent what-if ID [--strategy S] [--rtt-ms N] [--down-kbps N] [--up-kbps N] [--max-connections-per-host N]
/// [--pipeline-depth N] [--db PATH] [--json] [--no-color]</c> (issue 13 item 5): a stored load replayed under other
/// conditions; the recorded and predicted figures side by side, then the predicted waterfall.
/// </summary>
internal static class WhatIfCommand
{
    public const string Usage = """
          fetchagent what-if ID [--strategy S] [--rtt-ms N] [--down-kbps N] [--up-kbps N] [--max-connections-per-host N]
                                [--pipeline-depth N] [--db data/fetchagent.db] [--json] [--no-color]
                                (a stored load replayed in the connection model: a prediction, not a measurement)
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (args.Count == 0 || !long.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            throw new UsageException("what-if needs the id of a stored page load first");
        string? database = null;
        bool json = false, noColor = false;
        var query = new Dictionary<string, string>();
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new UsageException($"{arg} needs a value");
            switch (arg)
            {
                case "--db": database = Value(); break;
                case "--json": json = true; break;
                case "--no-color": noColor = true; break;
                case "--strategy": query["strategy"] = Value(); break;
                case "--rtt-ms": query["rtt"] = Value(); break;
                case "--down-kbps": query["downKbps"] = Value(); break;
                case "--up-kbps": query["upKbps"] = Value(); break;
                case "--max-connections-per-host": query["maxConnectionsPerHost"] = Value(); break;
                case "--pipeline-depth": query["pipelineDepth"] = Value(); break;
                default: throw new UsageException($"what-if: unknown argument {arg}");
            }
        }

        var stores = StorageFactory.Create(database ?? new DaemonOptions().Database);
        await stores.Database.MigrateAsync(cancellationToken);
        var recorded = await stores.PageLoads.GetAsync(id, cancellationToken);
        if (recorded is null)
        {
            await stderr.WriteLineAsync($"fetchagent: no page load {id} in {stores.Database.Location}");
            return 1;
        }

        var (conditions, errors) = Api.WhatIfApi.Read(
            new Microsoft.AspNetCore.Http.QueryCollection(query.ToDictionary(q => q.Key, q => new Microsoft.Extensions.Primitives.StringValues(q.Value))),
            WhatIfConditions.Of(recorded.Options));
        if (errors.Count > 0)
            throw new UsageException(string.Join("; ", errors.Select(e => $"{Flag(e.Key)} {e.Value[0]}")));
        var predicted = PageReplay.Predict(recorded, conditions);
        if (json)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(predicted, DocumentJson.Indented));
            return 0;
        }

        var color = Terminal.UseColor(noColor);
        var p = predicted.Prediction!;
        new StyledLine(color).Append($"what-if for page load {id}: a prediction, not a measurement", Ansi.Bold).WriteTo(stdout);
        new StyledLine(color).Append($"{p.Strategy}, {p.MaxConnectionsPerHost} per host, rtt {DisplayFormat.Ms(p.RttMs)} ms, " +
            $"down {Kbps(p.DownKbps)}, up {Kbps(p.UpKbps)}", Ansi.Dim).WriteTo(stdout);
        await stdout.WriteLineAsync($"{"",-14}{"recorded",12}{"predicted",12}");
        foreach (var (name, before, after) in new[]
                 {
                     ("perceived", recorded.Metrics.PerceivedMs, predicted.Metrics.PerceivedMs),
                     ("actual", recorded.Metrics.ActualMs, predicted.Metrics.ActualMs),
                     ("start render", recorded.Metrics.StartRenderMs, predicted.Metrics.StartRenderMs),
                     ("connections", recorded.Metrics.ConnectionCount, predicted.Metrics.ConnectionCount),
                 })
        {
            var unit = name == "connections" ? "" : " ms";
            await stdout.WriteLineAsync($"{name,-14}{DisplayFormat.Ms(before) + unit,12}{DisplayFormat.Ms(after) + unit,12}");
        }

        await stdout.WriteLineAsync();
        TerminalWaterfall.Render(predicted, stdout, Terminal.Width(), color);
        return 0;
    }

    private static string Kbps(int kbps) => kbps == 0 ? "unlimited" : $"{kbps} kbit/s";

    private static string Flag(string field) => field switch
    {
        "rtt" or "rttMs" => "--rtt-ms",
        "downKbps" => "--down-kbps",
        "upKbps" => "--up-kbps",
        "maxConnectionsPerHost" => "--max-connections-per-host",
        "pipelineDepth" => "--pipeline-depth",
        _ => "--" + field,
    };
}
