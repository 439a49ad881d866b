using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using FetchAgent.Engine.Discovery.Css;
using FetchAgent.Engine.Discovery.Html;
using FetchAgent.Engine.Page;

namespace FetchAgent.Bench;

/// <summary>Everything one bench run measured, for the table.</summary>
public sealed record BenchReport(
    BenchOptions Options,
    GeneratedSite Site,
    IReadOnlyList<Sample> FetchAgent,
    IReadOnlyList<Sample> Baseline,
    IReadOnlyList<Sample> HtmlDiscovery,
    IReadOnlyList<Sample> CssDiscovery,
    double FetchAgentConnectionsMedian,
    IReadOnlyDictionary<string, int> NginxConnectionsByAgent);

/// <summary>The plain-text report: machine, parameters, then one row per client. Invariant numbers only.</summary>
public static class ResultTable
{
    public static void Print(TextWriter output, BenchReport report)
    {
        var o = report.Options;
        var site = report.Site;
        var shape = site.Shape;
        var loadsPerClient = BenchOptions.WarmUpLoads + o.Runs;
        Line(output, $"FetchAgent bench: pageload");
        Line(output, $"machine: {Environment.ProcessorCount} logical cores, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription} {RuntimeInformation.ProcessArchitecture}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC");
        Line(output, $"page: 1 document + {shape.SubResources} sub-resources ({shape.Stylesheets} stylesheets, {shape.Scripts} scripts, {shape.Images} <img>, {shape.CssImages} CSS url() images), {site.TotalBodyBytes / 1024.0:F0} KiB of bodies, seed {o.Seed}");
        Line(output, $"hosts: nginx {site.First.Address}:{site.First.Port} (document + {site.ObjectsOn(site.First)}), nginx {site.Second.Address}:{site.Second.Port} ({site.ObjectsOn(site.Second)}), 1 worker each");
        Line(output, $"runs: {BenchOptions.WarmUpLoads} warm-up + {o.Runs} measured loads per client, alternating, order swapped every run, full GC before each");
        Line(output, $"FetchAgent: PageLoader, strategy {FetchAgentClient.Options.Strategy}, maxConnectionsPerHost {FetchAgentClient.Options.MaxConnectionsPerHost}");
        Line(output, $"HttpClient: SocketsHttpHandler MaxConnectionsPerServer 2, AutomaticDecompression All, a new handler per load; document, then the {shape.SubResources} URLs concurrently");
        output.WriteLine();

        Line(output, $"{"client",-11} {"wall ms",9} {"wall ms",9} {"actualMs",9} {"alloc MB",9} {"alloc KB",9} {"CPU ms",9} {"CPU/wall",9}");
        Line(output, $"{"",-11} {"median",9} {"p95",9} {"median",9} {"median",9} {"/object",9} {"median",9} {"median",9}");
        var objects = shape.SubResources + 1;
        Row(output, "FetchAgent", report.FetchAgent, objects);
        Row(output, "HttpClient", report.Baseline, objects);
        Row(output, "  html", report.HtmlDiscovery, objects);
        Row(output, "  css", report.CssDiscovery, objects);
        Line(output, $"  (html, css: FetchAgent's discovery alone on this page's document (AngleSharp) and its {shape.Stylesheets} stylesheets,");
        Line(output, $"   no network, same measurement; work inside FetchAgent's row that HttpClient, handed the URL list, does not do)");
        output.WriteLine();

        Line(output, $"FetchAgent / HttpClient: wall {Ratio(report.FetchAgent, report.Baseline, s => s.WallMs):F2}x, allocated {Ratio(report.FetchAgent, report.Baseline, s => s.AllocatedBytes):F2}x, CPU {Ratio(report.FetchAgent, report.Baseline, s => s.CpuMs):F2}x (ratios of medians)");
        Line(output, $"connections per load: FetchAgent median {report.FetchAgentConnectionsMedian:F0} (its own record); nginx saw over all {loadsPerClient} loads per client (at most {loadsPerClient * 4} each expected):");
        foreach (var (agent, count) in report.NginxConnectionsByAgent.OrderBy(a => a.Key, StringComparer.Ordinal))
            Line(output, $"  {count,5} connections from \"{agent}\"");
        output.WriteLine();
        Line(output, $"CPU = user + kernel time of this process (all threads: client, thread pool, GC, JIT), from Process.TotalProcessorTime; CPU/wall = per-run CPU ms / wall ms, median over runs.");
    }

    private static void Row(TextWriter output, string name, IReadOnlyList<Sample> samples, int objects)
    {
        var wall = samples.Select(s => s.WallMs).ToList();
        var reported = samples.Where(s => s.ReportedMs is not null).Select(s => s.ReportedMs!.Value).ToList();
        var allocated = Median(samples.Select(s => (double)s.AllocatedBytes));
        var reportedText = reported.Count == 0 ? "-" : Median(reported).ToString("F1", CultureInfo.InvariantCulture);
        Line(output, $"{name,-11} {Median(wall),9:F1} {Percentile(wall, 0.95),9:F1} {reportedText,9} {allocated / (1024 * 1024),9:F2} {allocated / 1024 / objects,9:F1} {Median(samples.Select(s => s.CpuMs)),9:F1} {Median(samples.Select(s => s.CpuPerWall)),9:F2}");
    }

    private static double Ratio(IReadOnlyList<Sample> a, IReadOnlyList<Sample> b, Func<Sample, double> value)
    {
        var denominator = Median(b.Select(value));
        return denominator > 0 ? Median(a.Select(value)) / denominator : double.NaN;
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
            return double.NaN;
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>Nearest rank: the smallest value with at least <paramref name="p"/> of the values at or below it.</summary>
    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
            return double.NaN;
        var rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    private static void Line(TextWriter output, FormattableString text) => output.WriteLine(text.ToString(CultureInfo.InvariantCulture));
}
