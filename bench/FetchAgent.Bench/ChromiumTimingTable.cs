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
        output.WriteLine("Chromium's figures from the document's request (as FetchAgent's clock starts), in brackets as measured from navigation start;");
        output.WriteLine("doc = the document's request, ms after navigation start; ratios on the document's request, in brackets on navigation start");
        output.WriteLine();
        output.WriteLine("| page | doc | FCP | start render | ratio | first visual change | ratio | Chromium SI | FetchAgent SI | ratio | load | onLoad | ratio |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in report.Rows)
        {
            var (a, m) = (r.Aligned, r.Chromium);
            output.WriteLine(
                $"| {r.Page.Path} | {ChromiumTiming.Ms(r.DocumentRequestMs)} " +
                $"| {Both(a.FirstContentfulPaintMs, m.FirstContentfulPaintMs)} | {ChromiumTiming.Ms(r.StartRender)} | {Ratios(r.StartRender, a.FirstContentfulPaintMs, m.FirstContentfulPaintMs)} " +
                $"| {Both(a.FirstVisualChangeMs, m.FirstVisualChangeMs)} | {Ratios(r.StartRender, a.FirstVisualChangeMs, m.FirstVisualChangeMs)} " +
                $"| {Both(a.SpeedIndexMs, m.SpeedIndexMs)} | {ChromiumTiming.Ms(r.SpeedIndex)} | {Ratios(r.SpeedIndex, a.SpeedIndexMs, m.SpeedIndexMs)} " +
                $"| {Both(a.LoadMs, m.LoadMs)} | {ChromiumTiming.Ms(r.OnLoad)} | {Ratios(r.OnLoad, a.LoadMs, m.LoadMs)} |");
        }

        output.WriteLine();
        if (report.Rows.Count > 0)
        {
            var offsets = report.Rows.Select(r => r.DocumentRequestMs).ToList();
            output.WriteLine($"the document's request, ms after navigation start: {ChromiumTiming.Ms(offsets.Min())}–{ChromiumTiming.Ms(offsets.Max())}, median {ChromiumTiming.Ms(ChromiumTiming.Median(offsets))}");
            Stages(output, "Chromium", report.Rows.Select(r => (r.ChromiumStages, r.Aligned.FirstContentfulPaintMs, r.Aligned.LoadMs)).ToList());
            Stages(output, "FetchAgent", report.Rows.Select(r => (r.FetchAgentStages, r.StartRender, r.OnLoad)).ToList());
        }

        output.WriteLine("from the document's request (the targets):");
        Summary(output, "start render / FCP", report.Rows.Select(r => (r.Page.Path, r.StartRender / r.Aligned.FirstContentfulPaintMs)).ToList());
        Summary(output, "start render / first visual change", report.Rows.Select(r => (r.Page.Path, r.StartRender / r.Aligned.FirstVisualChangeMs)).ToList());
        Summary(output, "Speed Index", report.Rows.Select(r => (r.Page.Path, r.SpeedIndex / r.Aligned.SpeedIndexMs)).ToList());
        Summary(output, "onLoad / load", report.Rows.Select(r => (r.Page.Path, r.OnLoad / r.Aligned.LoadMs)).ToList());
        output.WriteLine("from navigation start (as measured):");
        Summary(output, "start render / FCP", report.Rows.Select(r => (r.Page.Path, r.StartRender / r.Chromium.FirstContentfulPaintMs)).ToList());
        Summary(output, "start render / first visual change", report.Rows.Select(r => (r.Page.Path, r.StartRender / r.Chromium.FirstVisualChangeMs)).ToList());
        Summary(output, "Speed Index", report.Rows.Select(r => (r.Page.Path, r.SpeedIndex / r.Chromium.SpeedIndexMs)).ToList());
        Summary(output, "onLoad / load", report.Rows.Select(r => (r.Page.Path, r.OnLoad / r.Chromium.LoadMs)).ToList());
    }

    /// <summary>Medians over the pages of where the first paint's time goes (<see cref="ChromiumTiming.Stages"/>), ms from the document's request.</summary>
    private static void Stages(TextWriter output, string client, List<(ChromiumTiming.Stages Stages, double Paint, double Load)> pages)
    {
        string M(Func<(ChromiumTiming.Stages Stages, double Paint, double Load), double> figure) => ChromiumTiming.Ms(ChromiumTiming.Median(pages.Select(figure)));
        output.WriteLine(
            $"{client}, medians over the pages (ms from the document's request): document ended {M(p => p.Stages.DocumentEndMs)}, " +
            $"first sub-resource requested {M(p => p.Stages.FirstSubresourceMs)} ({M(p => p.Stages.FirstSubresourceMs - p.Stages.DocumentEndMs)} after the document ended), " +
            $"last response before the paint {M(p => p.Stages.LastResponseBeforePaintMs)}, paint {M(p => p.Paint)} ({M(p => p.Paint - p.Stages.LastResponseBeforePaintMs)} after that response), " +
            $"last response before the load event {M(p => p.Stages.LastResponseBeforeLoadMs)}, load {M(p => p.Load)} ({M(p => p.Load - p.Stages.LastResponseBeforeLoadMs)} after that response)");
    }

    private static string Both(double aligned, double measured) => $"{ChromiumTiming.Ms(aligned)} ({ChromiumTiming.Ms(measured)})";

    private static string Ratios(double fetchAgent, double aligned, double measured) => $"{Ratio(fetchAgent, aligned)} ({Ratio(fetchAgent, measured)})";

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
