using System.Globalization;
using System.Text.Json;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;
using FetchAgent.TestServers.Corpus;

namespace FetchAgent.Bench;

/// <summary>
/// Issue 16's timing against Chromium: the Chromium corpus (<see cref="ChromiumCorpus"/>) behind nginx with the same
/// delay before every response, each page loaded by FetchAgent (6 connections per host) and by headless Chromium
/// through Lighthouse (<c>--throttling-method=provided</c>: what Chromium observed, no simulation); per page FetchAgent's
/// start render, Speed Index and onLoad against Chromium's first contentful paint, Speed Index and load event, as ratios.
/// </summary>
public static class ChromiumTiming
{
    public const string Usage = """
        usage: FetchAgent.Bench chromium-timing [--delay MS] [--runs N] [--only TEXT] [--save DIR] [--requests] [--no-tight-mode]

        Assembles the Chromium corpus (./test.sh installs its Debian and npm packages; Lighthouse, which no test needs, is
        installed by hand: npm install --prefix .tools/corpus lighthouse@12), serves it with nginx holding every response MS ms, loads each page with FetchAgent (6 connections per host) and
        with headless Chromium through Lighthouse, and prints per page FetchAgent's start render / Chromium's first
        contentful paint, Speed Index / Speed Index and onLoad / load event, each the median of N loads (FetchAgent's after
        one untimed warm-up load of the page), with the medians. Chromium's figures are given from the document's
        request (when it went to the network, as FetchAgent's clock starts with the document's fetch), which the ratios
        use, and as measured from navigation start (Lighthouse's origin), in brackets; the offset between the two is
        the browser's navigation set-up.

          --delay MS    hold every response this long, 0..1000 (default 40, the issue's)
          --runs N      loads of each page by each, 1..9 (default 1)
          --only TEXT   only the pages whose path contains TEXT
          --save DIR    keep each run's Lighthouse report and FetchAgent document (JSON) in DIR
          --requests    print, per page, when each request went out and ended in both (ms from the document's request,
                        the last run), Chromium's order
          --no-tight-mode
                        FetchAgent's loads without tight mode (every request at once, as before it was modelled)
        """;

    public sealed record Options(int DelayMs, int Runs, string? Only, string? Save = null, bool Requests = false, bool NoTightMode = false);

    /// <summary>
    /// One page's medians: FetchAgent's (start render, Speed Index, onLoad) and Chromium's (FCP, Speed Index, load, first
    /// visual change) as measured from navigation start (<paramref name="Chromium"/>) and from the document's request
    /// (<paramref name="Aligned"/>, each run's figures less its own offset, then the median), and the offset.
    /// </summary>
    public sealed record Row(
        CorpusPage Page, ChromiumPaint Chromium, ChromiumPaint Aligned, double DocumentRequestMs,
        double StartRender, double SpeedIndex, double OnLoad, Stages ChromiumStages, Stages FetchAgentStages);

    /// <summary>
    /// Where the first paint's time goes, ms from the document's request (medians over the runs): the document's last
    /// byte, the first sub-resource request (the document parsed far enough to name one), and the last response that
    /// ended before the paint (Chromium's first contentful paint, FetchAgent's start render) and before the load event.
    /// </summary>
    public sealed record Stages(double DocumentEndMs, double FirstSubresourceMs, double LastResponseBeforePaintMs, double LastResponseBeforeLoadMs);

    public sealed record Report(Options Options, IReadOnlyList<Row> Rows, string Load);

    public static Options? Parse(IReadOnlyList<string> args, out string? error, out bool help) =>
        BenchArguments.Parse(args, new Options(40, 1, null),
        [
            BenchArguments.Int<Options>("--delay", 0, 1000, (o, v) => o with { DelayMs = v }),
            BenchArguments.Int<Options>("--runs", 1, 9, (o, v) => o with { Runs = v }),
            BenchArguments.Text<Options>("--only", (o, v) => o with { Only = v }),
            BenchArguments.Text<Options>("--save", (o, v) => o with { Save = v }),
            BenchArguments.Flag<Options>("--requests", o => o with { Requests = true }),
            BenchArguments.Flag<Options>("--no-tight-mode", o => o with { NoTightMode = true }),
        ], out error, out help);

    public static async Task<Report> RunAsync(Options options, TextWriter progress)
    {
        var files = ChromiumCorpus.Assemble(out var pages);
        if (pages.Count != ChromiumCorpus.PageCount)
            throw new BenchFailure($"the corpus has {pages.Count} of its {ChromiumCorpus.PageCount} pages: ./test.sh installs the packages it is made of");
        pages = [.. pages.Where(p => options.Only is null || p.Path.Contains(options.Only, StringComparison.Ordinal))];
        var lighthouse = new LighthouseRunner(ChromiumCorpus.NodeModules());
        await using var nginx = await NginxOrigin.StartAsync(files, delay: TimeSpan.FromMilliseconds(options.DelayMs));
        var loader = new PageLoader();
        var loadOptions = new LoadOptions { MaxConnectionsPerHost = 6, NoTightMode = options.NoTightMode };
        if (options.Save is not null)
            Directory.CreateDirectory(options.Save);
        var rows = new List<Row>();
        foreach (var page in pages)
        {
            var url = nginx.Url("/" + page.Path);
            var chromium = new List<ChromiumPaint>();
            var fetchAgent = new List<PageMetrics>();
            PageLoadDocument? document = null;
            var ours = new List<Stages>();
            ObjectRecord? last = null, html = null;
            // A warm process, as a daemon's (and the CLI's --runs warm-up): the first load of a page runs the parser
            // and the style pass as unoptimised code, seconds on a big page that would be read as FetchAgent's.
            await loader.LoadAsync(url, loadOptions);
            for (var run = 0; run < options.Runs; run++)
            {
                var saveAs = options.Save is null ? null : Path.Combine(options.Save, $"{page.Path.Replace('/', '_')}.{run + 1}");
                chromium.Add(await lighthouse.MeasureAsync(url, saveAs is null ? null : saveAs + ".lighthouse.json"));
                document = await loader.LoadAsync(url, loadOptions);
                if (document.Status != PageLoadStatus.Completed)
                    throw new BenchFailure($"{page.Path}: FetchAgent's load ended {document.Status}: {document.Error}");
                if (saveAs is not null)
                    await File.WriteAllTextAsync(saveAs + ".fetchagent.json", JsonSerializer.Serialize(document, DocumentJson.Indented));
                fetchAgent.Add(document.Metrics);
                ours.Add(StagesOf(document));
                last = document.Objects.Where(o => !o.AfterOnLoad).MaxBy(o => o.EndMs);
                html = document.Objects.LastOrDefault(o => o.Kind == ResourceKind.Document);
            }

            var aligned = chromium.Select(c => c.FromDocumentRequest()).ToList();
            var row = new Row(
                page, MedianOf(chromium), MedianOf(aligned), Median(chromium.Select(c => c.DocumentRequestMs)),
                Median(fetchAgent.Select(m => m.StartRenderMs)), Median(fetchAgent.Select(m => m.SpeedIndexMs)), Median(fetchAgent.Select(m => m.OnLoadMs)),
                MedianOf([.. aligned.Select(c => new Stages(c.DocumentEndMs, c.FirstSubresourceMs, c.LastResponseBeforePaintMs, c.LastResponseBeforeLoadMs))]), MedianOf(ours));
            progress.WriteLine($"bench: {page.Path}: document requested {row.DocumentRequestMs:0} ms after navigation start; from it FCP {row.Aligned.FirstContentfulPaintMs:0} " +
                               $"(first visual change {row.Aligned.FirstVisualChangeMs:0}) / start render {row.StartRender:0}, " +
                               $"SI {row.Aligned.SpeedIndexMs:0} / {row.SpeedIndex:0}, load {row.Aligned.LoadMs:0} / onLoad {row.OnLoad:0} ms" +
                               (last is null ? "" : $" (last: {last.Url} requested at {last.StartMs:0}; the document requested at {html?.StartMs ?? 0:0.0}, its discovery {html?.DiscoveryMs ?? 0:0} ms)"));
            progress.WriteLine($"bench: {page.Path}: document ended / first sub-resource requested / last response before the paint: " +
                               $"Chromium {row.ChromiumStages.DocumentEndMs:0} / {row.ChromiumStages.FirstSubresourceMs:0} / {row.ChromiumStages.LastResponseBeforePaintMs:0} (before the load event {row.ChromiumStages.LastResponseBeforeLoadMs:0}), " +
                               $"FetchAgent {row.FetchAgentStages.DocumentEndMs:0} / {row.FetchAgentStages.FirstSubresourceMs:0} / {row.FetchAgentStages.LastResponseBeforePaintMs:0} (before onLoad {row.FetchAgentStages.LastResponseBeforeLoadMs:0}) ms");
            if (options.Requests && document is not null)
                ChromiumTimingRequests.Print(progress, aligned[^1], document);
            rows.Add(row);
        }

        return new Report(options, rows, File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?");
    }

    public static void Print(TextWriter output, Report report) => ChromiumTimingTable.Print(output, report);

    /// <summary>FetchAgent's <see cref="Stages"/> for one load, on its own clock (which starts with the document's fetch).</summary>
    internal static Stages StagesOf(PageLoadDocument document)
    {
        var html = document.Objects.FirstOrDefault(o => o.Kind == ResourceKind.Document);
        var rest = document.Objects.Where(o => o != html).ToList();
        double LastBefore(double ms) => document.Objects.Where(o => o.EndMs <= ms).Select(o => o.EndMs).DefaultIfEmpty(double.NaN).Max();
        return new Stages(
            html?.EndMs ?? double.NaN,
            rest.Select(o => o.StartMs).DefaultIfEmpty(double.NaN).Min(),
            LastBefore(document.Metrics.StartRenderMs),
            LastBefore(document.Metrics.OnLoadMs));
    }

    private static Stages MedianOf(IReadOnlyList<Stages> runs) => new(
        Median(runs.Select(s => s.DocumentEndMs)), Median(runs.Select(s => s.FirstSubresourceMs)), Median(runs.Select(s => s.LastResponseBeforePaintMs)),
        Median(runs.Select(s => s.LastResponseBeforeLoadMs)));

    /// <summary>Each figure's median over the runs; the requests are the last run's.</summary>
    private static ChromiumPaint MedianOf(IReadOnlyList<ChromiumPaint> runs) => new(
        Median(runs.Select(c => c.FirstContentfulPaintMs)), Median(runs.Select(c => c.SpeedIndexMs)), Median(runs.Select(c => c.LoadMs)),
        Median(runs.Select(c => c.FirstVisualChangeMs)), Median(runs.Select(c => c.DocumentRequestMs)), runs.Count == 0 ? [] : runs[^1].Requests);

    /// <summary>The bench's median (<see cref="ResultTable.Median"/>), 0 rather than NaN for no values.</summary>
    internal static double Median(IEnumerable<double> values) => ResultTable.Median(values) is var median && double.IsNaN(median) ? 0 : median;

    internal static string Ms(double value) => value.ToString("0", CultureInfo.InvariantCulture);
}
