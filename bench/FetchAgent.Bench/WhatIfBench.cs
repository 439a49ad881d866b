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
        usage: FetchAgent.Bench what-if [--objects N] [--seed N] [--runs N]

        Generates two pages (a document and N, then 2N, sub-resources on two nginx hosts; seeds S and S+1), records one
        load of each on loopback, then for each case (strategy x emulated network) predicts the load from that recording
        (GET .../what-if's model) and measures it (the emulation) --runs times, and prints predicted and measured
        (the median run's) onLoad and start render with the error.

          --objects N   sub-resources of the first page, 1..249 (default 30)
          --seed N      seed of the first page's generated sizes and bytes (default 20260101)
          --runs N      measured loads per case, 1..9; the median of each metric is compared (default 3)
        """;

    public sealed record Options(int Objects, int Seed, int Runs);

    public sealed record Case(ConnectionStrategy Strategy, int RttMs, int DownKbps, int MaxConnectionsPerHost);

    public sealed record Row(int Objects, Case Case, double PredictedOnLoad, double MeasuredOnLoad, double PredictedStartRender, double MeasuredStartRender);

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

    public static Options? Parse(IReadOnlyList<string> args, out string? error, out bool help) =>
        BenchArguments.Parse(args, new Options(30, 20_260_101, 3),
        [
            BenchArguments.Int<Options>("--objects", 1, BenchOptions.MaxSubResources / 2, (o, v) => o with { Objects = v }),
            BenchArguments.Int<Options>("--seed", int.MinValue, int.MaxValue, (o, v) => o with { Seed = v }),
            BenchArguments.Int<Options>("--runs", 1, 9, (o, v) => o with { Runs = v }),
        ], out error, out help);

    public static async Task<Report> RunAsync(Options options, TextWriter progress)
    {
        var rows = new List<Row>();
        foreach (var (objects, seed) in new[] { (options.Objects, options.Seed), (2 * options.Objects, unchecked(options.Seed + 1)) })
            rows.AddRange(await RunPageAsync(objects, seed, options.Runs, progress));
        return new Report(options, rows);
    }

    private static async Task<List<Row>> RunPageAsync(int objects, int seed, int runs, TextWriter progress)
    {
        await using var site = await GeneratedSite.StartAsync(objects, seed);
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
            // Each measured run is a real load on a shared machine: a late timer or a descheduled moment lands in it, so
            // the median of --runs loads is compared, each metric on its own.
            var onLoad = new List<double>();
            var startRender = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                var measured = await loader.LoadAsync(site.DocumentUrl, plain with
                {
                    Strategy = c.Strategy, RttMs = c.RttMs, DownKbps = c.DownKbps, MaxConnectionsPerHost = c.MaxConnectionsPerHost,
                });
                if (measured.Status != PageLoadStatus.Completed)
                    throw new BenchFailure($"{c}: the measured load ended {measured.Status}: {measured.Error}");
                onLoad.Add(measured.Metrics.OnLoadMs);
                startRender.Add(measured.Metrics.StartRenderMs);
            }

            progress.WriteLine($"bench: {objects} objects, {c}: predicted {predicted.Metrics.OnLoadMs:0} ms, measured {string.Join(", ", onLoad.Select(v => v.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))} ms");
            rows.Add(new Row(objects, c, predicted.Metrics.OnLoadMs, ResultTable.Median(onLoad), predicted.Metrics.StartRenderMs, ResultTable.Median(startRender)));
        }

        return rows;
    }

    public static void Print(TextWriter output, Report report)
    {
        output.WriteLine($"what-if: predicted from one loopback recording vs measured under the emulation (pages of {report.Options.Objects} and {2 * report.Options.Objects} sub-resources, seeds {report.Options.Seed} and {unchecked(report.Options.Seed + 1)}; measured: the median of {report.Options.Runs} loads)");
        output.WriteLine();
        output.WriteLine($"{"objects",7} {"strategy",-11} {"rtt",5} {"down",7} {"conns",5}  {"onLoad pred",11} {"measured",9} {"error",7}  {"render pred",11} {"measured",9} {"error",7}");
        foreach (var r in report.Rows)
        {
            var c = r.Case;
            output.WriteLine(
                $"{r.Objects,7} {DocumentJson.Name(c.Strategy),-11} {c.RttMs,5} {(c.DownKbps == 0 ? "-" : c.DownKbps.ToString(System.Globalization.CultureInfo.InvariantCulture)),7} {c.MaxConnectionsPerHost,5}  " +
                $"{r.PredictedOnLoad,11:0.0} {r.MeasuredOnLoad,9:0.0} {Error(r.PredictedOnLoad, r.MeasuredOnLoad),7}  " +
                $"{r.PredictedStartRender,11:0.0} {r.MeasuredStartRender,9:0.0} {Error(r.PredictedStartRender, r.MeasuredStartRender),7}");
        }

        var worstOnLoad = report.Rows.Max(r => Math.Abs(r.PredictedOnLoad / r.MeasuredOnLoad - 1));
        var worstRender = report.Rows.Max(r => Math.Abs(r.PredictedStartRender / r.MeasuredStartRender - 1));
        output.WriteLine();
        output.WriteLine($"worst onLoad error {worstOnLoad * 100:0.0} % (target: within 15 %) {(worstOnLoad <= 0.15 ? "PASS" : "MISS")}");
        output.WriteLine($"worst start render error {worstRender * 100:0.0} % (target: within 15 %) {(worstRender <= 0.15 ? "PASS" : "MISS")}");
    }

    private static string Error(double predicted, double measured) =>
        measured <= 0 ? "-" : $"{(predicted / measured - 1) * 100:+0.0;-0.0} %";
}
