using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.Engine.WhatIf;

namespace FetchAgent.Bench;

/// <summary>
/// Issue 13 item 5's validation: on generated pages, a load recorded on loopback (no emulation) is replayed by the
/// what-if model under emulated conditions, and the same page is then loaded under those conditions for real (the
/// emulation in FetchAgent's transport). The table holds predicted against measured onLoad and start render.
/// </summary>
public static class WhatIfBench
{
    public const string Usage = """
        usage: FetchAgent.Bench what-if [--objects N] [--seed N]

        Generates a page (a document and N sub-resources on two nginx hosts), records one load of it on loopback, then
        for each case (strategy x emulated network) predicts the load from that recording (GET .../what-if's model) and
        measures it (the emulation), and prints predicted and measured onLoad and start render with the error.

          --objects N   sub-resources, 1..499 (default 30)
          --seed N      seed of the generated sizes and bytes (default 20260101)
        """;

    public sealed record Options(int Objects, int Seed);

    public sealed record Case(ConnectionStrategy Strategy, int RttMs, int DownKbps, int MaxConnectionsPerHost);

    public sealed record Row(Case Case, double PredictedOnLoad, double MeasuredOnLoad, double PredictedStartRender, double MeasuredStartRender);

    public sealed record Report(Options Options, IReadOnlyList<Row> Rows);

    private static readonly Case[] Cases =
    [
        new(ConnectionStrategy.Persistent, 50, 0, 2),
        new(ConnectionStrategy.Persistent, 100, 0, 6),
        new(ConnectionStrategy.Serial, 50, 0, 1),
        new(ConnectionStrategy.Parallel, 100, 0, 6),
        new(ConnectionStrategy.Persistent, 28, 5_000, 6),
        new(ConnectionStrategy.Persistent, 50, 1_500, 2),
    ];

    public static Options? Parse(IReadOnlyList<string> args, out string? error, out bool help)
    {
        error = null;
        help = args.Any(a => a is "--help" or "-h");
        if (help)
            return null;
        var options = new Options(30, 20_260_101);
        for (var i = 1; i < args.Count; i += 2)
        {
            if (i + 1 >= args.Count)
            {
                error = $"{args[i]}: a value is required";
                return null;
            }

            int parsed;
            switch (args[i])
            {
                case "--objects" when BenchOptions.TryInt(args[i + 1], 1, BenchOptions.MaxSubResources, out parsed, out error, args[i]):
                    options = options with { Objects = parsed };
                    break;
                case "--seed" when BenchOptions.TryInt(args[i + 1], int.MinValue, int.MaxValue, out parsed, out error, args[i]):
                    options = options with { Seed = parsed };
                    break;
                case "--objects" or "--seed":
                    return null;
                default:
                    error = $"unknown argument {args[i]}";
                    return null;
            }
        }

        return options;
    }

    public static async Task<Report> RunAsync(Options options, TextWriter progress)
    {
        await using var site = await GeneratedSite.StartAsync(options.Objects, options.Seed);
        var loader = new PageLoader();
        var plain = new LoadOptions { Strategy = ConnectionStrategy.Persistent, MaxConnectionsPerHost = 6 };
        await loader.LoadAsync(site.DocumentUrl, plain); // warm-up, not recorded
        var recorded = await loader.LoadAsync(site.DocumentUrl, plain);
        if (recorded.Status != PageLoadStatus.Completed)
            throw new BenchFailure($"the recording ended {recorded.Status}: {recorded.Error}");
        progress.WriteLine($"bench: recorded {recorded.Objects.Count} objects on loopback, onLoad {recorded.Metrics.OnLoadMs:0.0} ms");

        var rows = new List<Row>();
        foreach (var c in Cases)
        {
            var predicted = PageReplay.Predict(recorded, new WhatIfConditions
            {
                Strategy = c.Strategy, RttMs = c.RttMs, DownKbps = c.DownKbps, MaxConnectionsPerHost = c.MaxConnectionsPerHost,
            });
            var measured = await loader.LoadAsync(site.DocumentUrl, plain with
            {
                Strategy = c.Strategy, RttMs = c.RttMs, DownKbps = c.DownKbps, MaxConnectionsPerHost = c.MaxConnectionsPerHost,
            });
            if (measured.Status != PageLoadStatus.Completed)
                throw new BenchFailure($"{c}: the measured load ended {measured.Status}: {measured.Error}");
            progress.WriteLine($"bench: {c}: predicted {predicted.Metrics.OnLoadMs:0} ms, measured {measured.Metrics.OnLoadMs:0} ms");
            rows.Add(new Row(c, predicted.Metrics.OnLoadMs, measured.Metrics.OnLoadMs, predicted.Metrics.StartRenderMs, measured.Metrics.StartRenderMs));
        }

        return new Report(options, rows);
    }

    public static void Print(TextWriter output, Report report)
    {
        output.WriteLine($"what-if: predicted from one loopback recording vs measured under the emulation ({report.Options.Objects} sub-resources, seed {report.Options.Seed})");
        output.WriteLine();
        output.WriteLine($"{"strategy",-11} {"rtt",5} {"down",7} {"conns",5}  {"onLoad pred",11} {"measured",9} {"error",7}  {"render pred",11} {"measured",9} {"error",7}");
        foreach (var r in report.Rows)
        {
            var c = r.Case;
            output.WriteLine(
                $"{DocumentJson.Name(c.Strategy),-11} {c.RttMs,5} {(c.DownKbps == 0 ? "-" : c.DownKbps.ToString(System.Globalization.CultureInfo.InvariantCulture)),7} {c.MaxConnectionsPerHost,5}  " +
                $"{r.PredictedOnLoad,11:0.0} {r.MeasuredOnLoad,9:0.0} {Error(r.PredictedOnLoad, r.MeasuredOnLoad),7}  " +
                $"{r.PredictedStartRender,11:0.0} {r.MeasuredStartRender,9:0.0} {Error(r.PredictedStartRender, r.MeasuredStartRender),7}");
        }

        var worst = report.Rows.Max(r => Math.Abs(r.PredictedOnLoad / r.MeasuredOnLoad - 1));
        output.WriteLine();
        output.WriteLine($"worst onLoad error {worst * 100:0.0} % (target: within 15 %) {(worst <= 0.15 ? "PASS" : "MISS")}");
    }

    private static string Error(double predicted, double measured) =>
        measured <= 0 ? "-" : $"{(predicted / measured - 1) * 100:+0.0;-0.0} %";
}
