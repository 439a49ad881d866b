using System.Globalization;
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
        usage: FetchAgent.Bench chromium-timing [--delay MS] [--runs N] [--only TEXT]

        Assembles the Chromium corpus (./test.sh installs its Debian and npm packages; Lighthouse, which no test needs, is
        installed by hand: npm install --prefix .tools/corpus lighthouse@12), serves it with nginx holding every response MS ms, loads each page with FetchAgent (6 connections per host) and
        with headless Chromium through Lighthouse, and prints per page FetchAgent's start render / Chromium's first
        contentful paint, Speed Index / Speed Index and onLoad / load event, each the median of N loads (FetchAgent's after
        one untimed warm-up load of the page), with the medians.

          --delay MS    hold every response this long, 0..1000 (default 40, the issue's)
          --runs N      loads of each page by each, 1..9 (default 1)
          --only TEXT   only the pages whose path contains TEXT
        """;

    public sealed record Options(int DelayMs, int Runs, string? Only);

    /// <summary>One page's medians: FetchAgent's (start render, Speed Index, onLoad) and Chromium's (FCP, Speed Index, load).</summary>
    public sealed record Row(CorpusPage Page, ChromiumPaint Chromium, double StartRender, double SpeedIndex, double OnLoad);

    public sealed record Report(Options Options, IReadOnlyList<Row> Rows, string Load);

    public static Options? Parse(IReadOnlyList<string> args, out string? error, out bool help)
    {
        error = null;
        help = args.Any(a => a is "--help" or "-h");
        if (help)
            return null;
        var options = new Options(40, 1, null);
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
                case "--delay" when BenchOptions.TryInt(args[i + 1], 0, 1000, out parsed, out error, args[i]):
                    options = options with { DelayMs = parsed };
                    break;
                case "--runs" when BenchOptions.TryInt(args[i + 1], 1, 9, out parsed, out error, args[i]):
                    options = options with { Runs = parsed };
                    break;
                case "--only":
                    options = options with { Only = args[i + 1] };
                    break;
                case "--delay" or "--runs":
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
        var files = ChromiumCorpus.Assemble(out var pages);
        if (pages.Count != ChromiumCorpus.PageCount)
            throw new BenchFailure($"the corpus has {pages.Count} of its {ChromiumCorpus.PageCount} pages: ./test.sh installs the packages it is made of");
        pages = [.. pages.Where(p => options.Only is null || p.Path.Contains(options.Only, StringComparison.Ordinal))];
        var lighthouse = new LighthouseRunner(ChromiumCorpus.NodeModules());
        await using var nginx = await NginxOrigin.StartAsync(files, delay: TimeSpan.FromMilliseconds(options.DelayMs));
        var loader = new PageLoader();
        var rows = new List<Row>();
        foreach (var page in pages)
        {
            var url = nginx.Url("/" + page.Path);
            var chromium = new List<ChromiumPaint>();
            var fetchAgent = new List<PageMetrics>();
            ObjectRecord? last = null, html = null;
            // A warm process, as a daemon's (and the CLI's --runs warm-up): the first load of a page runs the parser
            // and the style pass as unoptimised code, seconds on a big page that would be read as FetchAgent's.
            await loader.LoadAsync(url, new LoadOptions { MaxConnectionsPerHost = 6 });
            for (var run = 0; run < options.Runs; run++)
            {
                chromium.Add(await lighthouse.MeasureAsync(url));
                var document = await loader.LoadAsync(url, new LoadOptions { MaxConnectionsPerHost = 6 });
                if (document.Status != PageLoadStatus.Completed)
                    throw new BenchFailure($"{page.Path}: FetchAgent's load ended {document.Status}: {document.Error}");
                fetchAgent.Add(document.Metrics);
                last = document.Objects.Where(o => !o.AfterOnLoad).MaxBy(o => o.EndMs);
                html = document.Objects.LastOrDefault(o => o.Kind == ResourceKind.Document);
            }

            var row = new Row(
                page,
                new ChromiumPaint(Median(chromium.Select(c => c.FirstContentfulPaintMs)), Median(chromium.Select(c => c.SpeedIndexMs)), Median(chromium.Select(c => c.LoadMs)),
                    Median(chromium.Select(c => c.FirstVisualChangeMs))),
                Median(fetchAgent.Select(m => m.StartRenderMs)), Median(fetchAgent.Select(m => m.SpeedIndexMs)), Median(fetchAgent.Select(m => m.OnLoadMs)));
            progress.WriteLine($"bench: {page.Path}: FCP {row.Chromium.FirstContentfulPaintMs:0} (first visual change {row.Chromium.FirstVisualChangeMs:0}) / start render {row.StartRender:0}, " +
                               $"SI {row.Chromium.SpeedIndexMs:0} / {row.SpeedIndex:0}, load {row.Chromium.LoadMs:0} / onLoad {row.OnLoad:0} ms" +
                               (last is null ? "" : $" (last: {last.Url} requested at {last.StartMs:0}; the document's discovery {html?.DiscoveryMs ?? 0:0} ms)"));
            rows.Add(row);
        }

        return new Report(options, rows, File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?");
    }

    public static void Print(TextWriter output, Report report) => ChromiumTimingTable.Print(output, report);

    /// <summary>The bench's median (<see cref="ResultTable.Median"/>), 0 rather than NaN for no values.</summary>
    internal static double Median(IEnumerable<double> values) => ResultTable.Median(values) is var median && double.IsNaN(median) ? 0 : median;

    internal static string Ms(double value) => value.ToString("0", CultureInfo.InvariantCulture);
}
