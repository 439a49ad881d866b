using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;
using FetchAgent.TestServers.Capture;

namespace FetchAgent.Bench;

/// <summary>
/// <c>accuracy</c>: how far FetchAgent's phases are from a packet capture of the same load. tcpdump watches loopback while
/// FetchAgent loads the capture page (a 20 KB document and 19 sub-resources, nginx with a 30 ms think time) over http and
/// https, cold (a fresh CLI process per load: the binary README's first command builds) and warm (the engine in this process
/// after one load, as the daemon runs it); each phase of each object is compared with its packets (<see cref="PhaseAudit"/>).
/// </summary>
public static class AccuracyBench
{
    public const string Usage = """
        usage: FetchAgent.Bench accuracy [--runs N] [--think-ms N]

        Captures loopback with tcpdump (root or CAP_NET_RAW) while FetchAgent loads a 20-object page from nginx
        (echo module for the think time), cold (a new `fetchagent load` process each run) and warm (the engine
        in this process), over http and https. Prints, per case and phase, the median and maximum error of the
        reported phase against the packets, the median and maximum distance of the phase's boundary from its
        packet, and the gap between the document's last response segment and the first sub-resource request.

          --runs N       loads per case, 1..100 (default 10)
          --think-ms N   server think time per response, 0..1000 (default 30)
        """;

    public sealed record Options(int Runs, int ThinkMs);

    public static Options? Parse(IReadOnlyList<string> args, out string? error, out bool help) =>
        BenchArguments.Parse(args, new Options(10, 30),
        [
            BenchArguments.Int<Options>("--runs", 1, 100, (o, v) => o with { Runs = v }),
            BenchArguments.Int<Options>("--think-ms", 0, 1000, (o, v) => o with { ThinkMs = v }),
        ], out error, out help);

    public sealed record Report(Options Options, IReadOnlyList<CaseResult> Cases);

    public sealed record CaseResult(string Name, IReadOnlyList<PhaseError> Errors, IReadOnlyList<double> DocumentGapsMs);

    public static async Task<Report> RunAsync(Options options, TextWriter progress)
    {
        var cases = new List<CaseResult>();
        foreach (var https in new[] { false, true })
        {
            await using var nginx = await NginxOrigin.StartAsync(CapturePage.Files(), https: https, delay: TimeSpan.FromMilliseconds(options.ThinkMs));
            var url = nginx.Url("/index.html");
            var scheme = https ? "https" : "http";
            var loader = new PageLoader();
            await LoadInProcessAsync(loader, url, https); // the warm case starts warm, like a daemon after its first load
            foreach (var (name, load) in new (string, Func<Task<JsonElement>>)[]
            {
                ($"cold {scheme}", () => LoadColdAsync(url, https)),
                ($"warm {scheme}", () => LoadInProcessAsync(loader, url, https)),
            })
            {
                var errors = new List<PhaseError>();
                var gaps = new List<double>();
                for (var run = 0; run < options.Runs; run++)
                {
                    progress.WriteLine($"accuracy: {name} run {run + 1}/{options.Runs}");
                    await using var capture = await PacketCapture.StartAsync([nginx.Port]);
                    var document = await load();
                    var segments = await capture.StopWhenAsync(s => CapturePage.AllClosed(s, nginx.Port), TimeSpan.FromSeconds(15));
                    if (document.GetProperty("status").GetString() != "completed")
                        throw new BenchFailure($"{name}: the load was {document.GetProperty("status").GetString()}: {document.GetProperty("error")}");
                    errors.AddRange(PhaseAudit.Compare(document, segments, new HashSet<int> { nginx.Port }));
                    gaps.Add(DocumentGapMs(segments, nginx.Port, https));
                }

                cases.Add(new CaseResult(name, errors, gaps));
            }
        }

        return new Report(options, cases);
    }

    /// <summary>On the wire: from the document's last response segment to the first request on any other connection or
    /// the next on its own (negative when a sub-resource was asked for while the document was still arriving).</summary>
    private static double DocumentGapMs(IReadOnlyList<TcpSegment> segments, int serverPort, bool https)
    {
        var connections = WireTimeline.Build(segments, new HashSet<int> { serverPort }, https, _ => int.MaxValue);
        var requests = connections.SelectMany(c => c.Exchanges).OrderBy(e => e.Request).ToList();
        var document = requests[0];
        return (requests[1].Request - document.ResponseLast!.Value) / 1e6;
    }

    private static async Task<JsonElement> LoadInProcessAsync(PageLoader loader, Uri url, bool https)
    {
        var document = await loader.LoadAsync(url, new LoadOptions { Strategy = ConnectionStrategy.Persistent, Insecure = https });
        return JsonSerializer.SerializeToElement(document, DocumentJson.Options);
    }

    private static async Task<JsonElement> LoadColdAsync(Uri url, bool https)
    {
        var dll = Path.Combine(RepositoryRoot(), "src", "FetchAgent", "bin", "Release", "net10.0", "FetchAgent.dll");
        if (!File.Exists(dll))
            throw new BenchFailure($"{dll} is not built: dotnet build -c Release first");
        List<string> args = [dll, "load", url.AbsoluteUri, "--json", "--strategy", "persistent"];
        if (https)
            args.Add("--insecure");
        using var process = Process.Start(new ProcessStartInfo("dotnet", args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new BenchFailure($"fetchagent load exited {process.ExitCode}: {await stderr}");
        return JsonDocument.Parse(await stdout).RootElement.Clone();
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FetchAgent.sln")))
                return dir.FullName;
        }

        throw new BenchFailure("FetchAgent.sln not found above " + AppContext.BaseDirectory);
    }

    public static void Print(TextWriter output, Report report)
    {
        string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
        output.WriteLine($"phase error against a loopback packet capture, {report.Options.Runs} loads per case, nginx think time {report.Options.ThinkMs} ms (ms)");
        output.WriteLine();
        output.WriteLine($"{"case",-11} {"phase",-8} {"n",5} {"median",8} {"max",8} {"|bound|",8} {"max",8}");
        output.WriteLine($"{"",-11} {"",-8} {"",5} {"error",8} {"error",8} {"median",8} {"bound",8}");
        foreach (var result in report.Cases)
        {
            foreach (var phase in new[] { "connect", "ssl", "send", "wait", "receive" })
            {
                var rows = result.Errors.Where(e => e.Phase == phase).ToList();
                if (rows.Count == 0)
                    continue;
                var errors = rows.Select(e => e.ErrorMs).Order().ToList();
                var bounds = rows.Select(e => Math.Abs(e.BoundaryOffsetMs)).Order().ToList();
                output.WriteLine($"{result.Name,-11} {phase,-8} {rows.Count,5} {F(Median(errors)),8} {F(errors[^1]),8} {F(Median(bounds)),8} {F(bounds[^1]),8}");
            }
        }

        output.WriteLine();
        output.WriteLine("document's last response segment to the next request on the wire (ms; negative: requested while the document streamed)");
        foreach (var result in report.Cases)
        {
            var gaps = result.DocumentGapsMs.Order().ToList();
            output.WriteLine($"{result.Name,-11} median {F(Median(gaps)),8}   max {F(gaps[^1]),8}");
        }
    }

    private static double Median(IReadOnlyList<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
