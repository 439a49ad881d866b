using FetchAgent.TestServers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace FetchAgent.Bench;

/// <summary>
/// Issue 9 item 1: peak memory of the daemon, a real child process, at its defaults, for pages built to exhaust it.
/// The peak is the child's VmHWM (/proc/PID/status), read while it still runs, after its loads.
/// </summary>
public static class MemoryBench
{
    public const string Usage = """
        usage: FetchAgent.Bench memory [--scenario frames|bomb|images|all]

        Starts the daemon as a child process (dotnet src/FetchAgent/bin/Release/net10.0/FetchAgent.dll serve, a fresh
        SQLite file; build Release first) for each scenario, loads from a generated loopback origin, and prints the
        child's peak RSS (VmHWM) against the target of 400 MB:
          frames   a page of 8 iframes of 50 MB of HTML each (defaults)
          bomb     a document of 1 GiB of HTML gzipped into ~1 MB, with maxBodyBytes 4294967296
          images   50 loads at once (FetchAgent__MaxConcurrentLoads=50) of a page with 2 images of 10 MB

        exit codes: 0 measured, 1 a load did not end as expected, 2 bad arguments
        """;

    public const double TargetMb = 400;

    public sealed record Options(string Scenario);

    public sealed record Row(string Scenario, double IdleMb, double PeakMb, double WallS, string Outcome);

    public static Options? Parse(IReadOnlyList<string> args, out string? error, out bool help) =>
        BenchArguments.Parse(args, new Options("all"),
        [
            BenchArguments.Text<Options>("--scenario", (o, v) => o with { Scenario = v },
                v => v is "frames" or "bomb" or "images" or "all" ? null : "one of frames, bomb, images, all"),
        ], out error, out help);

    public static async Task<IReadOnlyList<Row>> RunAsync(Options options, TextWriter progress)
    {
        await using var origin = new GeneratedOrigin();
        var rows = new List<Row>();
        if (options.Scenario is "frames" or "all")
            rows.Add(await FramesAsync(origin, progress));
        if (options.Scenario is "bomb" or "all")
            rows.Add(await BombAsync(origin, progress));
        if (options.Scenario is "images" or "all")
            rows.Add(await ImagesAsync(origin, progress));
        return rows;
    }

    private static async Task<Row> FramesAsync(GeneratedOrigin origin, TextWriter progress)
    {
        progress.WriteLine("frames: 8 iframes x 50 MB of HTML");
        return await MeasureAsync("8 x 50 MB iframes", maxConcurrentLoads: 1, async daemon =>
        {
            var document = await daemon.LoadAsync(new { url = origin.Url("/frames.html").AbsoluteUri });
            var frames = document.GetProperty("objects").EnumerateArray().Where(o => o.GetProperty("kind").GetString() == "iframe").ToList();
            Check(document.GetProperty("status").GetString() == "completed", $"status {document.GetProperty("status")}");
            Check(frames.Count == GeneratedOrigin.Frames && frames.All(f => f.GetProperty("bodyBytes").GetInt64() == GeneratedOrigin.FrameBytes), "8 frames of 50 MB");
            var limits = frames.Select(f => $"{f.GetProperty("discoveryLimit")}").Distinct();
            return $"completed; each frame bodyBytes 50000000, discoveryLimit {string.Join("/", limits)}, parsedBytes {frames[0].GetProperty("parsedBytes")}";
        }, progress);
    }

    private static async Task<Row> BombAsync(GeneratedOrigin origin, TextWriter progress)
    {
        progress.WriteLine($"bomb: compressing 1 GiB of HTML ({origin.BombBody.Length:N0} bytes gzipped)");
        return await MeasureAsync("1 GiB gzip bomb, maxBodyBytes 4 GiB", maxConcurrentLoads: 1, async daemon =>
        {
            var document = await daemon.LoadAsync(new { url = origin.Url("/bomb.html").AbsoluteUri, maxBodyBytes = 1L << 32 });
            var page = document.GetProperty("objects")[0];
            Check(document.GetProperty("status").GetString() == "completed", $"status {document.GetProperty("status")} {document.GetProperty("error")}");
            Check(page.GetProperty("bodyBytes").GetInt64() == origin.BombBody.Length, "bodyBytes is the wire size");
            return $"completed; bodyBytes {page.GetProperty("bodyBytes")} (wire), parsedBytes {page.GetProperty("parsedBytes")}, discoveryLimit {page.GetProperty("discoveryLimit")}";
        }, progress);
    }

    private static async Task<Row> ImagesAsync(GeneratedOrigin origin, TextWriter progress)
    {
        const int loads = 50;
        progress.WriteLine($"images: {loads} concurrent loads of {GeneratedOrigin.ImagesPerPage} x 10 MB images");
        return await MeasureAsync($"{loads} concurrent loads, 2 x 10 MB images each", maxConcurrentLoads: loads, async daemon =>
        {
            var documents = await Task.WhenAll(Enumerable.Range(0, loads).Select(_ => daemon.LoadAsync(new { url = origin.Url("/images.html").AbsoluteUri })));
            Check(documents.All(d => d.GetProperty("status").GetString() == "completed"), "every load completed");
            Check(documents.All(d => d.GetProperty("metrics").GetProperty("bytes").GetInt64() > GeneratedOrigin.ImagesPerPage * GeneratedOrigin.ImageBytes), "every image whole");
            var most = documents.Max(d => d.GetProperty("concurrentLoads").GetInt32());
            return $"{loads} completed; at most {most + 1} ran at once (the memory budget: 256 MiB / 32 MiB per page)";
        }, progress);
    }

    private static void Check(bool condition, string what)
    {
        if (!condition)
            throw new BenchFailure($"memory: expected {what}");
    }

    private static async Task<Row> MeasureAsync(string name, int maxConcurrentLoads, Func<ChildDaemon, Task<string>> run, TextWriter progress)
    {
        await using var daemon = await ChildDaemon.StartAsync(maxConcurrentLoads);
        var idle = daemon.StatusKb("VmHWM") / 1000.0;
        var watch = Stopwatch.StartNew();
        var outcome = await run(daemon);
        var wall = watch.Elapsed.TotalSeconds;
        var peak = daemon.StatusKb("VmHWM") / 1000.0;
        progress.WriteLine($"  peak {peak:F0} MB: {outcome}");
        return new Row(name, idle, peak, wall, outcome);
    }

    public static void Print(TextWriter output, IReadOnlyList<Row> rows)
    {
        output.WriteLine("FetchAgent bench: memory (the daemon as a child process, defaults; peak = its VmHWM after the loads)");
        output.WriteLine($"machine: {Environment.ProcessorCount} logical cores, .NET {Environment.Version}");
        output.WriteLine();
        output.WriteLine("scenario                                       idle MB   peak MB   wall s   target");
        foreach (var row in rows)
        {
            var verdict = row.PeakMb < TargetMb ? "PASS" : "MISS";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{row.Scenario,-45}  {row.IdleMb,7:F0}  {row.PeakMb,8:F0}  {row.WallS,7:F1}   < {TargetMb:F0} {verdict}"));
        }

        output.WriteLine();
        foreach (var row in rows)
            output.WriteLine($"{row.Scenario}: {row.Outcome}");
        output.WriteLine("idle = VmHWM after start-up and the daemon's own warm-up; MB = 1000 kB as /proc reports kB.");
    }

    /// <summary>The daemon, started as <c>dotnet FetchAgent.dll serve</c> on a free loopback port with a fresh database.</summary>
    private sealed class ChildDaemon : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly HttpClient _client;
        private readonly string _folder;

        private ChildDaemon(Process process, HttpClient client, string folder)
        {
            _process = process;
            _client = client;
            _folder = folder;
        }

        public static async Task<ChildDaemon> StartAsync(int maxConcurrentLoads)
        {
            var dll = Path.Combine(AccuracyBench.RepositoryRoot(), "src", "FetchAgent", "bin", "Release", "net10.0", "FetchAgent.dll");
            if (!File.Exists(dll))
                throw new BenchFailure($"{dll} not found: build Release first");
            var folder = Directory.CreateTempSubdirectory("fetchagent-bench-memory-").FullName;
            var port = LoopbackPorts.Free();
            var info = new ProcessStartInfo("dotnet")
            {
                ArgumentList = { dll, "serve", "--urls", $"http://127.0.0.1:{port}", "--db", Path.Combine(folder, "fetchagent.db") },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            info.Environment["FetchAgent__MaxConcurrentLoads"] = maxConcurrentLoads.ToString(CultureInfo.InvariantCulture);
            info.Environment["FetchAgent__MaxQueuedLoads"] = "100";
            var process = Process.Start(info) ?? throw new BenchFailure("the daemon did not start");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(10) };
            var daemon = new ChildDaemon(process, client, folder);
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    if ((await client.GetAsync("/healthz")).IsSuccessStatusCode)
                        break;
                }
                catch (HttpRequestException) when (attempt < 300 && !process.HasExited)
                {
                }

                if (process.HasExited)
                    throw new BenchFailure("the daemon exited at start");
                await Task.Delay(100);
            }

            return daemon;
        }

        public async Task<JsonElement> LoadAsync(object body)
        {
            using var content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
            var response = await _client.PostAsync("/api/page-loads", content);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.Created)
                throw new BenchFailure($"POST answered {(int)response.StatusCode}: {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }

        /// <summary>A field of /proc/PID/status in kB.</summary>
        public long StatusKb(string field)
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
            return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }

        public async ValueTask DisposeAsync()
        {
            _client.Dispose();
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
            Directory.Delete(_folder, recursive: true);
        }
    }
}
