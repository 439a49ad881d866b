namespace FetchAgent.Bench;

/// <summary>The chromium-timing report: per page the three ratios (FetchAgent / Chromium), then their medians against the issue's targets.</summary>
internal static class ChromiumTimingTable
{
    /// <summary>Issue 16's targets: the median ratio of each metric within 0.9–1.1, no page outside 0.7–1.4.</summary>
    private const double MedianLow = 0.9, MedianHigh = 1.1, PageLow = 0.7, PageHigh = 1.4;

    public static void Print(TextWriter output, ChromiumTiming.Report report)
    {
        var o = report.Options;
        output.WriteLine($"chromium-timing: {report.Rows.Count} pages, {o.DelayMs} ms before every response, 6 connections per host, median of {o.Runs} load(s) each; load average {report.Load}");
        output.WriteLine("ratio = FetchAgent / Chromium: start render / first contentful paint, Speed Index / Speed Index, onLoad / load event (ms)");
        output.WriteLine();
        output.WriteLine("| page | FCP | start render | ratio | first visual change | ratio | Chromium SI | FetchAgent SI | ratio | load | onLoad | ratio |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in report.Rows)
        {
            output.WriteLine(
                $"| {r.Page.Path} | {ChromiumTiming.Ms(r.Chromium.FirstContentfulPaintMs)} | {ChromiumTiming.Ms(r.StartRender)} | {Ratio(r.StartRender, r.Chromium.FirstContentfulPaintMs)} " +
                $"| {ChromiumTiming.Ms(r.Chromium.FirstVisualChangeMs)} | {Ratio(r.StartRender, r.Chromium.FirstVisualChangeMs)} " +
                $"| {ChromiumTiming.Ms(r.Chromium.SpeedIndexMs)} | {ChromiumTiming.Ms(r.SpeedIndex)} | {Ratio(r.SpeedIndex, r.Chromium.SpeedIndexMs)} " +
                $"| {ChromiumTiming.Ms(r.Chromium.LoadMs)} | {ChromiumTiming.Ms(r.OnLoad)} | {Ratio(r.OnLoad, r.Chromium.LoadMs)} |");
        }

        output.WriteLine();
        Summary(output, "start render / FCP", report.Rows.Select(r => (r.Page.Path, r.StartRender / r.Chromium.FirstContentfulPaintMs)).ToList());
        Summary(output, "start render / first visual change", report.Rows.Select(r => (r.Page.Path, r.StartRender / r.Chromium.FirstVisualChangeMs)).ToList());
        Summary(output, "Speed Index", report.Rows.Select(r => (r.Page.Path, r.SpeedIndex / r.Chromium.SpeedIndexMs)).ToList());
        Summary(output, "onLoad / load", report.Rows.Select(r => (r.Page.Path, r.OnLoad / r.Chromium.LoadMs)).ToList());
    }

    private static void Summary(TextWriter output, string metric, List<(string Page, double Ratio)> ratios)
    {
        if (ratios.Count == 0)
            return;
        var median = ChromiumTiming.Median(ratios.Select(r => r.Ratio));
        var outside = ratios.Where(r => r.Ratio is < PageLow or > PageHigh).Select(r => $"{r.Page} {r.Ratio:0.00}").ToList();
        output.WriteLine(
            $"{metric}: median ratio {median:0.00} (target {MedianLow}–{MedianHigh}) {(median is >= MedianLow and <= MedianHigh ? "PASS" : "MISS")}; " +
            $"{outside.Count} of {ratios.Count} pages outside {PageLow}–{PageHigh}{(outside.Count == 0 ? "" : ": " + string.Join(", ", outside))}");
    }

    private static string Ratio(double fetchAgent, double chromium) => chromium <= 0 ? "-" : (fetchAgent / chromium).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
}
