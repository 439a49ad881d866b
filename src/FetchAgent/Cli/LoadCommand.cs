using System.Globalization;
using System.Text.Json;
using FetchAgent.Daemon;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.Har;
using FetchAgent.Storage;

namespace FetchAgent.Cli;

/// <summary>
/// <c>load URL</c>: one page load, printed as a terminal waterfall or as the contract's JSON document.
/// With <c>--runs N</c>: a warm-up load, N runs, and the median run printed the same way (the runs on stderr).
/// </summary>
internal static class LoadCommand
{
    public static async Task<int> RunAsync(LoadArguments arguments, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        PageLoadDocument document;
        if (arguments.Runs is { } runs)
        {
            document = await RunSeveralAsync(arguments, runs, stderr, cancellationToken);
        }
        else
        {
            // Trace lines and the live progress line would write over each other: a traced load has no progress line.
            using var trace = arguments.Trace ? TraceLines.Factory(stderr) : null;
            var progress = trace is null ? new ProgressLine(stderr) : null;
            document = await new PageLoader(loggerFactory: trace, proxyEnvironment: Engine.Navigation.ProxyEnvironment.FromProcess())
                .LoadAsync(arguments.Url, arguments.Options, progress is null ? null : progress.ObjectFinished, cancellationToken, proxyUser: arguments.ProxyUser);
            progress?.Done();
            if (await OpenStoreAsync(arguments, cancellationToken) is { } store)
                await SaveAsync(store, document, stderr, cancellationToken);
        }

        if (arguments.HarFile is { } harFile)
        {
            await using var har = File.Create(harFile);
            await JsonSerializer.SerializeAsync(har, HarBuilder.Build(document), HarBuilder.Json, cancellationToken);
            await stderr.WriteLineAsync($"fetchagent: wrote HAR 1.2 to {Path.GetFullPath(harFile)}");
        }

        if (arguments.Json)
            await stdout.WriteLineAsync(JsonSerializer.Serialize(document, DocumentJson.Indented));
        else
            RenderViews(document, stdout, Terminal.Width(), Terminal.UseColor(arguments.NoColor));
        if (document.Status == PageLoadStatus.Failed)
            return 1;
        var over = arguments.Budget?.Exceeded(document) ?? [];
        foreach (var line in over)
            await stderr.WriteLineAsync($"fetchagent: {line}");
        return over.Count > 0 ? PerformanceBudget.ExceededExitCode : 0;
    }

    /// <summary>The load's waterfall; with <c>--repeat-view</c>, the repeat view's after it under its own heading.</summary>
    private static void RenderViews(PageLoadDocument document, TextWriter stdout, int width, bool color)
    {
        TerminalWaterfall.Render(document, stdout, width, color);
        if (document.RepeatView is not { } repeat)
            return;
        var objects = repeat.Objects;
        stdout.WriteLine();
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Repeat view (the HTTP cache the first view left): {objects.Count(o => o.FromCache)} from cache, {objects.Count(o => o.Revalidated)} revalidated (304), {objects.Count(o => !o.FromCache && !o.Revalidated)} fetched"));
        TerminalWaterfall.Render(repeat, stdout, width, color);
    }

    /// <summary>
    /// A warm-up, then the runs; returns the median run's document (WebPageTest's median run, by actualMs).
    /// stdout stays one document; every run is listed on stderr, and stored with <c>--db</c>/<c>--save</c>.
    /// </summary>
    private static async Task<PageLoadDocument> RunSeveralAsync(LoadArguments arguments, int runs, TextWriter stderr, CancellationToken cancellationToken)
    {
        var results = await RunSeries.RunAsync(arguments.Url, arguments.Options, [arguments.Options.Strategy], runs, stderr, cancellationToken, arguments.ProxyUser);
        if (await OpenStoreAsync(arguments, cancellationToken) is { } store)
        {
            foreach (var result in results)
                await SaveAsync(store, result.Document, stderr, cancellationToken);
        }

        var summary = RunSeries.Summarise(results).Single();
        var median = RunSeries.MedianRun(results, summary);
        await stderr.WriteLineAsync(RunsReport(results, summary, median));
        return median.Document;
    }

    /// <summary>The runs on stderr: one line each, the median run marked, then the spread.</summary>
    private static string RunsReport(IReadOnlyList<StrategyRun> results, StrategySummary summary, StrategyRun median)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new System.Text.StringBuilder();
        text.AppendLine(c, $"fetchagent: {results.Count} runs of {summary.Strategy} after a warm-up load (not counted); median run {median.Run} (by actual):");
        text.AppendLine("    run   perceived      actual  status");
        foreach (var r in results)
        {
            var id = r.Document.Id == 0 ? "" : $"  page load {r.Document.Id}";
            text.AppendLine(c, $"  {(r == median ? '*' : ' '),1} {r.Run,3}  {DisplayFormat.Ms(r.Document.Metrics.PerceivedMs),7} ms  {DisplayFormat.Ms(r.Document.Metrics.ActualMs),7} ms  {DisplayFormat.Lower(r.Document.Status)}{id}");
        }

        text.Append(c, $"  {summary.Runs} counted: perceived median {DisplayFormat.Ms(summary.MedianPerceivedMs)} ms ({DisplayFormat.Ms(summary.MinPerceivedMs)}–{DisplayFormat.Ms(summary.MaxPerceivedMs)}), ");
        text.Append(c, $"actual median {DisplayFormat.Ms(summary.MedianActualMs)} ms ({DisplayFormat.Ms(summary.MinActualMs)}–{DisplayFormat.Ms(summary.MaxActualMs)})");
        return text.ToString();
    }

    /// <summary><c>--db PATH</c> or <c>--save</c>: the loads go into the same database the daemon serves.</summary>
    private static async Task<Stores?> OpenStoreAsync(LoadArguments arguments, CancellationToken cancellationToken)
    {
        if (arguments.Database is null && !arguments.Save)
            return null;
        var stores = StorageFactory.Create(arguments.Database ?? new DaemonOptions().Database);
        await stores.Database.MigrateAsync(cancellationToken);
        return stores;
    }

    private static async Task SaveAsync(Stores stores, PageLoadDocument document, TextWriter stderr, CancellationToken cancellationToken)
    {
        var id = await stores.PageLoads.InsertAsync(document, cancellationToken);
        await stderr.WriteLineAsync($"fetchagent: stored as page load {id} in {stores.Database.Location}");
    }
}
