using FetchAgent.Engine.Model;


namespace FetchAgent.Bench;

/// <summary>A load that did not fetch the whole page: the numbers would not compare like with like.</summary>
public sealed class BenchFailure(string message) : Exception(message);

/// <summary>
/// Serves the generated page, warms both clients up, then measures them in turn. The order swaps every
/// run so neither always runs on the caches (and the GC state) the other left behind.
/// </summary>
public static class PageLoadBench
{
    /// <summary>A load that takes this long is hung, not slow.</summary>
    private static readonly TimeSpan LoadDeadline = TimeSpan.FromSeconds(60);

    public static async Task<BenchReport> RunAsync(BenchOptions options, TextWriter progress)
    {
        await using var site = await GeneratedSite.StartAsync(options.Objects, options.Seed);
        var expectedObjects = site.SubResourceUrls.Count + 1;
        progress.WriteLine($"bench: serving {site.DocumentUrl} ({expectedObjects} objects) and {site.Second.Url("/")}");

        var fetchAgent = new FetchAgentClient();
        IReadOnlyList<Uri>? discovered = null;
        for (var i = 0; i < BenchOptions.WarmUpLoads; i++)
        {
            var document = await LoadFetchAgentAsync(fetchAgent, site.DocumentUrl, expectedObjects, "warm-up");
            discovered ??= CheckedDiscovery(document, site);
            await LoadBaselineAsync(site.DocumentUrl, discovered, expectedObjects, "warm-up");
        }

        progress.WriteLine($"bench: warmed up; measuring {options.Runs} runs per client");
        var fetchAgentSamples = new List<Sample>();
        var baselineSamples = new List<Sample>();
        var connections = new List<double>();
        for (var run = 0; run < options.Runs; run++)
        {
            async Task MeasureFetchAgent()
            {
                var (document, sample) = await Measurement.MeasureAsync(
                    () => LoadFetchAgentAsync(fetchAgent, site.DocumentUrl, expectedObjects, $"run {run + 1}"),
                    d => d.Metrics.ActualMs);
                fetchAgentSamples.Add(sample);
                connections.Add(document.Metrics.ConnectionCount);
            }

            async Task MeasureBaseline()
            {
                var (_, sample) = await Measurement.MeasureAsync(
                    () => LoadBaselineAsync(site.DocumentUrl, discovered!, expectedObjects, $"run {run + 1}"),
                    _ => null);
                baselineSamples.Add(sample);
            }

            if (run % 2 == 0)
            {
                await MeasureFetchAgent();
                await MeasureBaseline();
            }
            else
            {
                await MeasureBaseline();
                await MeasureFetchAgent();
            }
        }

        var (html, css) = await DiscoveryCost.MeasureAsync(site, options.Runs);
        return new BenchReport(options, site, fetchAgentSamples, baselineSamples, html, css,
            ResultTable.Median(connections), site.ConnectionsByUserAgent());
    }

    private static async Task<PageLoadDocument> LoadFetchAgentAsync(FetchAgentClient client, Uri url, int expectedObjects, string when)
    {
        using var deadline = new CancellationTokenSource(LoadDeadline);
        PageLoadDocument document;
        try
        {
            document = await client.LoadAsync(url, deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new BenchFailure($"FetchAgent {when}: no result within {LoadDeadline.TotalSeconds} s");
        }

        var problem = FetchAgentClient.Problem(document, expectedObjects);
        return problem is null ? document : throw new BenchFailure($"FetchAgent {when}: {problem}");
    }

    private static async Task<BaselineLoad> LoadBaselineAsync(Uri url, IReadOnlyList<Uri> subResources, int expectedObjects, string when)
    {
        using var deadline = new CancellationTokenSource(LoadDeadline);
        BaselineLoad load;
        try
        {
            load = await HttpClientBaseline.LoadAsync(url, subResources, deadline.Token);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            throw new BenchFailure($"HttpClient {when}: {e.GetType().Name}: {e.Message}");
        }

        if (load.Problems.Count > 0)
            throw new BenchFailure($"HttpClient {when}: {load.Problems.Count} responses not 200, first {load.Problems[0]}");
        return load.Responses == expectedObjects
            ? load
            : throw new BenchFailure($"HttpClient {when}: {load.Responses} responses, expected {expectedObjects}");
    }

    /// <summary>
    /// The baseline fetches what FetchAgent discovered; that must be exactly what the page holds, or the
    /// two would not fetch the same set.
    /// </summary>
    private static IReadOnlyList<Uri> CheckedDiscovery(PageLoadDocument document, GeneratedSite site)
    {
        var discovered = FetchAgentClient.SubResources(document);
        var missing = site.SubResourceUrls.Except(discovered).ToList();
        var extra = discovered.Except(site.SubResourceUrls).ToList();
        if (missing.Count > 0 || extra.Count > 0 || discovered.Count != site.SubResourceUrls.Count)
            throw new BenchFailure($"FetchAgent discovered {discovered.Count} sub-resources, the page has {site.SubResourceUrls.Count}; missing {string.Join(' ', missing.Take(3))} extra {string.Join(' ', extra.Take(3))}");
        return discovered;
    }
}
