using System.Globalization;
using System.Net;
using System.Runtime;
using System.Runtime.InteropServices;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Bench;

/// <summary>
/// <c>http2</c> (issue 11): the same page over one nginx with HTTP/2 over TLS, loaded by FetchAgent's <c>multiplexed</c>
/// strategy, by its <c>persistent</c> strategy (HTTP/1.1, 2 per host) and by <c>HttpClient</c> asking for HTTP/2 exactly;
/// then again with a server delay per response, against the bound a multiplexed load can reach: the document's delay
/// plus one object's (every sub-resource in flight at once).
/// </summary>
public static class Http2Bench
{
    public const string Usage = """
        usage: FetchAgent.Bench http2 [--runs N] [--objects N] [--delay-ms N] [--delay-runs N] [--seed N] [--only h2]

        Serves a generated page (a document and N sub-resources, all on one host, none behind a stylesheet) from
        nginx with http2 over TLS (the tests' certificate), then loads it round-robin with FetchAgent multiplexed
        (h2), FetchAgent persistent (HTTP/1.1, 2 per host) and HttpClient (SocketsHttpHandler, DefaultRequestVersion
        2.0, RequestVersionExact, a new handler per load, handed the URL list FetchAgent discovered). Prints median
        wall time, allocation and CPU per load, and their ratios; then the same with nginx holding every response
        --delay-ms (echo_sleep), against the bound: the document's delay plus one object's.

          --runs N         measured loads per client on loopback, 1..1000 (default 30); 3 warm-up loads each first
          --objects N      sub-resources, 1..499 (default 100): ~10% stylesheets, ~10% scripts, the rest images
          --delay-ms N     server delay per response, 0..5000 (default 50; 0 skips the delayed part)
          --delay-runs N   measured loads per client with the delay, 1..100 (default 5)
          --seed N         seed of the generated sizes and bytes (default 20260101)
          --only h2        FetchAgent multiplexed alone, no ratios: a process that does nothing else, to profile
                           (e.g. under dotnet-trace) where a multiplexed load's CPU goes
        """;

    public sealed record Options(int Runs, int Objects, int DelayMs, int DelayRuns, int Seed, bool OnlyH2 = false);

    /// <summary>One client's measured loads: samples, and per load its connection count (FetchAgent's own record).</summary>
    public sealed record Row(string Client, List<Sample> Samples, List<double> Connections);

    public sealed record Report(Options Options, int ObjectCount, long BodyBytes, Uri Url, IReadOnlyList<Row> Loopback, IReadOnlyList<Row> Delayed);

    private static readonly TimeSpan LoadDeadline = TimeSpan.FromSeconds(120);

    public static Options? Parse(IReadOnlyList<string> args, out string? error, out bool help) =>
        BenchArguments.Parse(args, new Options(30, 100, 50, 5, 20_260_101),
        [
            BenchArguments.Int<Options>("--runs", 1, 1000, (o, v) => o with { Runs = v }),
            BenchArguments.Int<Options>("--objects", 1, BenchOptions.MaxSubResources, (o, v) => o with { Objects = v }),
            BenchArguments.Int<Options>("--delay-ms", 0, 5000, (o, v) => o with { DelayMs = v }),
            BenchArguments.Int<Options>("--delay-runs", 1, 100, (o, v) => o with { DelayRuns = v }),
            BenchArguments.Int<Options>("--seed", int.MinValue, int.MaxValue, (o, v) => o with { Seed = v }),
            BenchArguments.Text<Options>("--only", (o, _) => o with { OnlyH2 = true }, v => v == "h2" ? null : $"'{v}' is not a client (h2)"),
        ], out error, out help);

    private static readonly LoadOptions Multiplexed = new() { Strategy = ConnectionStrategy.Multiplexed, Insecure = true };
    private static readonly LoadOptions Persistent = new() { Strategy = ConnectionStrategy.Persistent, MaxConnectionsPerHost = 2, Insecure = true };

    public static async Task<Report> RunAsync(Options options, TextWriter progress)
    {
        var files = Files(options.Objects, options.Seed);
        var expected = files.Count;
        var bytes = files.Values.Sum(b => (long)b.Length);
        Uri url;
        List<Row> loopback;
        await using (var nginx = await NginxOrigin.StartAsync(files, https: true, http2: true))
        {
            url = nginx.Url("/index.html");
            progress.WriteLine($"bench: serving {url} ({expected} objects) over h2");
            loopback = await MeasureAsync(url, expected, options.Runs, options.OnlyH2, progress);
        }

        List<Row> delayed = [];
        if (options.DelayMs > 0)
        {
            await using var slow = await NginxOrigin.StartAsync(files, https: true, http2: true, delay: TimeSpan.FromMilliseconds(options.DelayMs));
            progress.WriteLine($"bench: the same page with {options.DelayMs} ms per response");
            delayed = await MeasureAsync(slow.Url("/index.html"), expected, options.DelayRuns, options.OnlyH2, progress);
        }

        return new Report(options, expected, bytes, url, loopback, delayed);
    }

    /// <summary>Warm-up loads, then <paramref name="runs"/> rounds; each round rotates which client goes first.</summary>
    private static async Task<List<Row>> MeasureAsync(Uri url, int expected, int runs, bool onlyH2, TextWriter progress)
    {
        var loader = new PageLoader();
        IReadOnlyList<Uri>? urls = null;
        var clients = new (string Name, Func<string, Task<(int Connections, double? ActualMs)>> Load)[]
        {
            ("FetchAgent h2 (multiplexed)", when => FetchAgentAsync(loader, url, Multiplexed, expected, when, h2: true)),
            ("FetchAgent persistent (2/host)", when => FetchAgentAsync(loader, url, Persistent, expected, when, h2: false)),
            ("HttpClient h2", when => HttpClientAsync(url, urls!, expected, when)),
        };
        if (onlyH2)
            clients = clients[..1];
        for (var i = 0; i < BenchOptions.WarmUpLoads; i++)
        {
            if (urls is null)
            {
                var first = await LoadAsync(loader, url, Multiplexed, "warm-up");
                urls = FetchAgentClient.SubResources(first);
            }

            foreach (var client in clients)
                await client.Load("warm-up");
        }

        progress.WriteLine($"bench: warmed up; {runs} runs per client");
        var rows = clients.Select(c => new Row(c.Name, [], [])).ToList();
        for (var run = 0; run < runs; run++)
        {
            for (var k = 0; k < clients.Length; k++)
            {
                var index = (run + k) % clients.Length;
                var (result, sample) = await Measurement.MeasureAsync(() => clients[index].Load($"run {run + 1}"), r => r.ActualMs);
                rows[index].Samples.Add(sample);
                rows[index].Connections.Add(result.Connections);
            }
        }

        return rows;
    }

    private static async Task<PageLoadDocument> LoadAsync(PageLoader loader, Uri url, LoadOptions options, string when)
    {
        using var deadline = new CancellationTokenSource(LoadDeadline);
        return await loader.LoadAsync(url, options, objectFinished: null, deadline.Token);
    }

    private static async Task<(int, double?)> FetchAgentAsync(PageLoader loader, Uri url, LoadOptions options, int expected, string when, bool h2)
    {
        var document = await LoadAsync(loader, url, options, when);
        var problem = FetchAgentClient.Problem(document, expected)
            ?? (document.Objects.FirstOrDefault(o => o.HttpVersion != (h2 ? "HTTP/2" : "HTTP/1.1")) is { } wrong ? $"{wrong.Url} came over {wrong.HttpVersion}" : null);
        return problem is null
            ? (document.Connections.Count, document.Metrics.ActualMs)
            : throw new BenchFailure($"FetchAgent {options.Strategy.ToString().ToLowerInvariant()} {when}: {problem}");
    }

    /// <summary>.NET's own HTTP/2: one connection per server (EnableMultipleHttp2Connections off), HTTP/2 or fail.</summary>
    private static async Task<(int, double?)> HttpClientAsync(Uri document, IReadOnlyList<Uri> subResources, int expected, string when)
    {
        using var deadline = new CancellationTokenSource(LoadDeadline);
        using var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.All,
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        };
        using var client = new HttpClient(handler, disposeHandler: false)
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(HttpClientBaseline.UserAgent);
        try
        {
            var first = await HttpClientBaseline.FetchAsync(client, document, deadline.Token);
            var rest = await Task.WhenAll(subResources.Select(u => HttpClientBaseline.FetchAsync(client, u, deadline.Token)));
            var all = rest.Prepend(first).ToList();
            var bad = all.Where(f => f.Status != HttpStatusCode.OK).Select(f => f.Url).ToList();
            if (all.Count != expected || bad.Count > 0)
                throw new BenchFailure($"HttpClient h2 {when}: {all.Count} responses of {expected}, {bad.Count} not 200 {string.Join(' ', bad.Take(3))}");
            return (-1, null); // HttpClient does not say how many connections it opened
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            throw new BenchFailure($"HttpClient h2 {when}: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>The page: one host, relative URLs, no CSS url() images, so every sub-resource hangs off the document alone.</summary>
    private static Dictionary<string, byte[]> Files(int objects, int seed)
    {
        var shape = SiteShape.For(objects) with { CssImages = 0 };
        shape = shape with { Images = objects - shape.Stylesheets - shape.Scripts };
        var random = new Random(seed);
        var files = new Dictionary<string, byte[]>();
        var sheets = Enumerable.Range(0, shape.Stylesheets).Select(i => $"/css/s{i}.css").ToList();
        var scripts = Enumerable.Range(0, shape.Scripts).Select(i => $"/js/j{i}.js").ToList();
        var images = Enumerable.Range(0, shape.Images).Select(i => $"/img/i{i}.png").ToList();
        for (var i = 0; i < sheets.Count; i++)
            files[sheets[i]] = GeneratedSite.Stylesheet(random, i, null);
        for (var i = 0; i < scripts.Count; i++)
            files[scripts[i]] = GeneratedSite.Script(random, i);
        foreach (var image in images)
            files[image] = GeneratedSite.Image(random);
        files["/index.html"] = GeneratedSite.Document(sheets, scripts, images, 0);
        return files;
    }

    public static void Print(TextWriter output, Report report)
    {
        var o = report.Options;
        output.WriteLine("FetchAgent bench: http2");
        output.WriteLine($"machine: {Environment.ProcessorCount} logical cores, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC");
        output.WriteLine($"page: 1 document + {report.ObjectCount - 1} sub-resources on one host, {report.BodyBytes / 1024.0:F0} KiB of bodies, seed {o.Seed}; nginx http2 over TLS 1.3 (test certificate), 1 worker");
        output.WriteLine($"runs: {BenchOptions.WarmUpLoads} warm-up + {o.Runs} measured loads per client, round-robin, first client rotated every round, full GC before each");
        output.WriteLine();
        output.WriteLine("loopback, no server delay");
        Table(output, report.Loopback, report.ObjectCount);
        if (o.OnlyH2)
            return;
        var h2 = report.Loopback[0];
        var persistent = report.Loopback[1];
        var httpClient = report.Loopback[2];
        var wallRatio = Ratio(h2, httpClient, s => s.WallMs);
        output.WriteLine();
        output.WriteLine($"FetchAgent h2 / HttpClient h2: wall {wallRatio:F2}x (target <= 1.10x: {(wallRatio <= 1.1 ? "PASS" : "MISS")}), allocated {Ratio(h2, httpClient, s => s.AllocatedBytes):F2}x, CPU {Ratio(h2, httpClient, s => s.CpuMs):F2}x");
        output.WriteLine($"FetchAgent h2 / FetchAgent persistent: wall {Ratio(h2, persistent, s => s.WallMs):F2}x, allocated {Ratio(h2, persistent, s => s.AllocatedBytes):F2}x, CPU {Ratio(h2, persistent, s => s.CpuMs):F2}x (ratios of medians)");
        if (report.Delayed.Count == 0)
            return;

        var bound = 2.0 * o.DelayMs;
        output.WriteLine();
        output.WriteLine($"server delay {o.DelayMs} ms per response (nginx echo_sleep), {o.DelayRuns} runs per client; bound = document delay + one object delay = {bound:F0} ms");
        Table(output, report.Delayed, report.ObjectCount);
        output.WriteLine();
        foreach (var row in report.Delayed)
        {
            var wall = ResultTable.Median(row.Samples.Select(s => s.WallMs));
            var above = wall - bound;
            output.WriteLine($"{row.Client,-31} wall {wall,8:F1} ms = bound + {above,7:F1} ms ({above / o.DelayMs,5:F2} delays above; target <= 1: {(above <= o.DelayMs ? "PASS" : "MISS")})");
        }
    }

    private static void Table(TextWriter output, IReadOnlyList<Row> rows, int objects)
    {
        output.WriteLine($"{"client",-31} {"wall ms",8} {"wall ms",8} {"actualMs",8} {"alloc MB",8} {"alloc KB",8} {"CPU ms",8} {"conns",6}");
        output.WriteLine($"{"",-31} {"median",8} {"p95",8} {"median",8} {"median",8} {"/object",8} {"median",8} {"",6}");
        foreach (var row in rows)
        {
            var s = row.Samples;
            var wall = s.Select(x => x.WallMs).Order().ToList();
            var reported = s.Where(x => x.ReportedMs is not null).Select(x => x.ReportedMs!.Value).ToList();
            var allocated = ResultTable.Median(s.Select(x => (double)x.AllocatedBytes));
            var actual = reported.Count == 0 ? "-" : ResultTable.Median(reported).ToString("F1", CultureInfo.InvariantCulture);
            var p95 = wall[Math.Min(wall.Count - 1, (int)Math.Ceiling(0.95 * wall.Count) - 1)];
            output.WriteLine($"{row.Client,-31} {ResultTable.Median(wall),8:F1} {p95,8:F1} {actual,8} {allocated / (1024 * 1024),8:F2} {allocated / 1024 / objects,8:F1} {ResultTable.Median(s.Select(x => x.CpuMs)),8:F1} {(row.Connections.Any(c => c < 0) ? "-" : ResultTable.Median(row.Connections).ToString("F0", CultureInfo.InvariantCulture)),6}");
        }
    }

    private static double Ratio(Row a, Row b, Func<Sample, double> value) =>
        ResultTable.Median(a.Samples.Select(value)) / ResultTable.Median(b.Samples.Select(value));
}
