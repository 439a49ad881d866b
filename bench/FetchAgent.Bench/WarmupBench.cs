using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;

namespace FetchAgent.Bench;

/// <summary>
/// What the process warm-up leaves for a real load to compile: in this fresh process, the warm-up runs, then each
/// kind of load runs twice on the generated page (nginx, two hosts); for each load, the methods the JIT compiled
/// while it ran (any thread) and the JIT's time. With tiered compilation off (as the daemon and the CLI run), a
/// method the warm-up missed is compiled fully optimised on its first call, inside whatever phase called it: a
/// first load's JIT is FetchAgent's own work that could land in a network phase (README, "Off the clock: start-up").
/// </summary>
public static class WarmupBench
{
    public const string Usage = """
        usage: FetchAgent.Bench warmup [--objects N] [--methods]

        In a fresh process: runs the process warm-up (every part, as the daemon does at start), then loads the generated page (nginx, two hosts, N objects,
        default 30) twice with each of: persistent, parallel, pipelined, serial, an emulated network (--rtt-ms 20
        --down-kbps 100000), repeat view; prints, per load, the methods compiled while it ran and the JIT's time.
        The warm-up covers a kind of load when its first load compiles about as little as its second. --methods
        lists the methods each first load compiled (the runtime's JIT events).

        exit codes: 0 measured, 1 a load did not complete, 2 bad arguments
        """;

    public sealed record Options(int Objects, bool Methods);

    public sealed record Row(
        string Load, int FirstMethods, double FirstJitMs, double FirstWallMs, int SecondMethods, double SecondJitMs, double SecondWallMs, IReadOnlyList<string> FirstMethodNames);

    public sealed record Report(double WarmupMs, int WarmupMethods, double WarmupJitMs, bool TieredCompilation, IReadOnlyList<Row> Rows);

    public static Options? Parse(IReadOnlyList<string> args, out string? error, out bool help) =>
        BenchArguments.Parse(args, new Options(30, false),
        [
            BenchArguments.Int<Options>("--objects", 10, 500, (o, v) => o with { Objects = v }),
            BenchArguments.Flag<Options>("--methods", o => o with { Methods = true }),
        ], out error, out help);

    private static readonly (string Name, LoadOptions Options)[] Kinds =
    [
        ("persistent", new LoadOptions { Strategy = ConnectionStrategy.Persistent }),
        ("parallel", new LoadOptions { Strategy = ConnectionStrategy.Parallel }),
        ("pipelined", new LoadOptions { Strategy = ConnectionStrategy.Pipelined }),
        ("serial", new LoadOptions { Strategy = ConnectionStrategy.Serial }),
        ("emulated (rtt 20, 100 Mbit/s)", new LoadOptions { RttMs = 20, DownKbps = 100_000 }),
        ("repeat view", new LoadOptions { RepeatView = true }),
    ];

    public static async Task<Report> RunAsync(Options options, TextWriter progress)
    {
        // Before anything of FetchAgent's runs: the warm-up's own JIT is part of what is measured.
        var tiered = AppContext.TryGetSwitch("System.Runtime.TieredCompilation", out var on) ? on : true;
        await using var site = await GeneratedSite.StartAsync(options.Objects, seed: 1);
        var (warmupMethods, warmupJit, warmupWall) = await MeasureAsync(ProcessWarmup.EnsureAllAsync);
        progress.WriteLine($"warm-up: {warmupWall:F0} ms, {warmupMethods} methods compiled");
        var loader = new PageLoader();
        var rows = new List<Row>();
        using var jitted = options.Methods ? new JitEvents() : null;
        foreach (var (name, loadOptions) in Kinds)
        {
            jitted?.Clear();
            var first = await LoadAsync(loader, site, loadOptions, name);
            var names = jitted?.Take() ?? [];
            var second = await LoadAsync(loader, site, loadOptions, name);
            rows.Add(new Row(name, first.Methods, first.JitMs, first.WallMs, second.Methods, second.JitMs, second.WallMs, names));
            progress.WriteLine($"{name}: {first.Methods} then {second.Methods} methods");
        }

        return new Report(warmupWall, warmupMethods, warmupJit, tiered, rows);
    }

    private static async Task<(int Methods, double JitMs, double WallMs)> LoadAsync(PageLoader loader, GeneratedSite site, LoadOptions options, string name)
    {
        PageLoadDocument? document = null;
        var measured = await MeasureAsync(async () => document = await loader.LoadAsync(site.DocumentUrl, options));
        if (document!.Status != PageLoadStatus.Completed)
            throw new BenchFailure($"{name}: status {document.Status} {document.Error}");
        return measured;
    }

    private static async Task<(int Methods, double JitMs, double WallMs)> MeasureAsync(Func<Task> run)
    {
        var methods = JitInfo.GetCompiledMethodCount(currentThread: false);
        var jit = JitInfo.GetCompilationTime(currentThread: false);
        var started = Stopwatch.GetTimestamp();
        await run();
        var wall = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return ((int)(JitInfo.GetCompiledMethodCount(currentThread: false) - methods), (JitInfo.GetCompilationTime(currentThread: false) - jit).TotalMilliseconds, wall);
    }

    public static void Print(TextWriter output, Report report)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"warm-up: {report.WarmupMs:F0} ms wall, {report.WarmupMethods} methods compiled in {report.WarmupJitMs:F0} ms of JIT; tiered compilation {(report.TieredCompilation ? "on" : "off")}"));
        output.WriteLine();
        output.WriteLine("| load | 1st: methods | 1st: JIT ms | 1st: wall ms | 2nd: methods | 2nd: JIT ms | 2nd: wall ms |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in report.Rows)
            output.WriteLine(string.Create(c, $"| {r.Load} | {r.FirstMethods} | {r.FirstJitMs:F1} | {r.FirstWallMs:F1} | {r.SecondMethods} | {r.SecondJitMs:F1} | {r.SecondWallMs:F1} |"));
        foreach (var r in report.Rows.Where(r => r.FirstMethodNames.Count > 0))
        {
            output.WriteLine();
            output.WriteLine($"{r.Load}, first load compiled:");
            foreach (var name in r.FirstMethodNames)
                output.WriteLine($"  {name}");
        }
    }

    /// <summary>The names of the methods the JIT compiles, from the runtime's own events (MethodLoadVerbose, JIT keyword).</summary>
    private sealed class JitEvents : System.Diagnostics.Tracing.EventListener
    {
        private readonly List<string> _names = [];

        protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
                EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x10);
        }

        protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs e)
        {
            if (e.EventName?.StartsWith("MethodLoadVerbose", StringComparison.Ordinal) != true || e.Payload is null)
                return;
            var ns = e.Payload[e.PayloadNames!.IndexOf("MethodNamespace")] as string;
            var method = e.Payload[e.PayloadNames.IndexOf("MethodName")] as string;
            lock (_names)
                _names.Add($"{ns}::{method}");
        }

        public void Clear()
        {
            lock (_names)
                _names.Clear();
        }

        public IReadOnlyList<string> Take()
        {
            lock (_names)
            {
                var taken = _names.ToList();
                _names.Clear();
                return taken;
            }
        }
    }
}
