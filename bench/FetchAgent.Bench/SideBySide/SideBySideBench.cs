using System.Globalization;
using FetchAgent.TestServers;
using FetchAgent.TestServers.Corpus;

namespace FetchAgent.Bench.SideBySide;

/// <summary>What one <c>side-by-side</c> run measured, for the table.</summary>
/// <param name="Clients">Each client's name and how it was set up, in the table's order.</param>
/// <param name="CurlStartUpMs">Median wall time of a curl process that fetches nothing: inside each of curl's times.</param>
/// <param name="LoadAverage">The machine's 1, 5 and 15 minute load averages at the start and at the end.</param>
/// <param name="GeneratedBytes">Bodies of the generated page's document and sub-resources.</param>
/// <param name="Corpus">One result per corpus page; empty when <c>--corpus-runs 0</c>.</param>
public sealed record SideBySideReport(
    SideBySideOptions Options,
    IReadOnlyList<(string Name, string Description)> Clients,
    double CurlStartUpMs,
    (string Start, string End) LoadAverage,
    long GeneratedBytes,
    PageResult Generated,
    IReadOnlyList<PageResult> Corpus);

/// <summary>
/// Issue 16's side-by-side benchmark: the same pages, the same connection budget, FetchAgent against what a user would
/// pick instead (curl, HttpClient, headless Chromium). Per page: warm-up loads, then rounds of one load per client, the
/// first client rotated every round, a full GC before each load (outside its time); every load under a deadline.
/// </summary>
public static class SideBySideBench
{
    /// <summary>A load that takes this long is hung, not slow.</summary>
    private static readonly TimeSpan LoadDeadline = TimeSpan.FromSeconds(150);

    public static async Task<SideBySideReport> RunAsync(SideBySideOptions options, TextWriter progress)
    {
        var loadStart = LoadAverage();
        var delay = TimeSpan.FromMilliseconds(options.DelayMs);
        await using var chromium = await ChromiumPageClient.StartAsync();
        IPageClient[] clients =
        [
            new FetchAgentPageClient(options.Connections),
            new CurlPageClient(options.Connections),
            new HttpClientPageClient(options.Connections),
            chromium,
        ];
        var curlStartUp = await CurlPageClient.StartUpMsAsync(5);

        PageResult generated;
        long generatedBytes;
        await using (var site = await GeneratedSite.StartAsync(options.Objects, options.Seed, delay))
        {
            progress.WriteLine($"bench: side-by-side, generated page {site.DocumentUrl} ({site.SubResourceUrls.Count + 1} objects), delay {options.DelayMs} ms");
            generated = await MeasurePageAsync("generated", site.DocumentUrl, site.SubResourceUrls, clients, options.Runs, [site.First, site.Second], progress);
            generatedBytes = site.TotalBodyBytes;
        }

        var corpus = new List<PageResult>();
        if (options.CorpusRuns > 0)
        {
            var files = ChromiumCorpus.Assemble(out var corpusPages);
            var pages = corpusPages.Select(p => p.Path).ToList();
            if (pages.Count == 0)
                throw new BenchFailure("the corpus has no page on this machine: ./test.sh installs the Debian and npm packages it is made of");
            await using var nginx = await NginxOrigin.StartAsync(files, NginxBenchLog.Config, delay: delay);
            progress.WriteLine($"bench: corpus of {pages.Count} pages on {nginx.Url("/")}");
            foreach (var page in pages)
                corpus.Add(await MeasurePageAsync(page, nginx.Url("/" + page), null, clients, options.CorpusRuns, [nginx], progress));
        }

        return new SideBySideReport(options, clients.Select(c => (c.Name, c.Description)).ToList(), curlStartUp, (loadStart, LoadAverage()), generatedBytes, generated, corpus);
    }

    /// <summary>
    /// FetchAgent's first warm-up load gives the URL list curl and HttpClient are handed (checked against
    /// <paramref name="expected"/> when the page's set is known); each of them must then request exactly that list.
    /// </summary>
    public static async Task<PageResult> MeasurePageAsync(
        string name, Uri page, IReadOnlyList<Uri>? expected, IReadOnlyList<IPageClient> clients, int runs, IReadOnlyList<NginxOrigin> origins, TextWriter progress)
    {
        var before = NginxBenchLog.ConnectionsByUserAgent(origins);
        var first = await LoadAsync(clients[0], page, [], $"{name} warm-up");
        var list = first.Urls.ToList();
        if (!list.Remove(page))
            throw new BenchFailure($"FetchAgent {page}: the page itself is not among its requests");
        if (expected is not null && !list.Select(u => u.AbsoluteUri).Order(StringComparer.Ordinal).SequenceEqual(expected.Select(u => u.AbsoluteUri).Order(StringComparer.Ordinal)))
            throw new BenchFailure($"FetchAgent {page}: requested {list.Count} sub-resources, the page has {expected.Count}; missing {string.Join(' ', expected.Except(list).Take(3))} extra {string.Join(' ', list.Except(expected).Take(3))}");

        for (var w = 0; w < SideBySideOptions.WarmUpLoads; w++)
        {
            foreach (var client in clients.Skip(w == 0 ? 1 : 0))
                await CheckedLoadAsync(client, page, list, $"{name} warm-up");
        }

        var loads = clients.Select(_ => new List<ClientLoad>()).ToList();
        for (var run = 0; run < runs; run++)
        {
            for (var k = 0; k < clients.Count; k++)
            {
                var index = (run + k) % clients.Count;
                loads[index].Add(await CheckedLoadAsync(clients[index], page, list, $"{name} run {run + 1}"));
            }
        }

        var after = NginxBenchLog.ConnectionsByUserAgent(origins);
        var results = clients.Select((c, i) => new ClientResult(c.Name, loads[i], after.GetValueOrDefault(c.UserAgent) - before.GetValueOrDefault(c.UserAgent))).ToList();
        // Over every measured load: what FetchAgent requested that Chromium left out of at least one of its loads, what
        // Chromium requested in any load that FetchAgent never did, and what Chromium requested twice within one load.
        static string Key(Uri u) => u.AbsoluteUri;
        var fetchAgentUrls = loads[0].SelectMany(l => l.Urls).Select(Key).ToHashSet();
        var chromiumIndex = clients.ToList().FindIndex(c => c is ChromiumPageClient);
        var chromiumLoads = chromiumIndex < 0 ? [] : loads[chromiumIndex];
        var chromiumEvery = chromiumLoads.Count == 0
            ? fetchAgentUrls
            : chromiumLoads.Select(l => l.Urls.Select(Key).ToHashSet()).Aggregate((a, b) => { a.IntersectWith(b); return a; });
        var chromiumAny = chromiumLoads.SelectMany(l => l.Urls).Select(Key).ToHashSet();
        var repeated = chromiumLoads.SelectMany(l => l.Urls.GroupBy(Key).Where(g => g.Count() > 1).Select(g => g.Key)).Distinct().Order(StringComparer.Ordinal);
        var result = new PageResult(name, results, SideBySideOptions.WarmUpLoads + runs,
            fetchAgentUrls.Except(chromiumEvery).Order(StringComparer.Ordinal).Select(u => new Uri(u)).ToList(),
            chromiumAny.Except(fetchAgentUrls).Order(StringComparer.Ordinal).Select(u => new Uri(u)).ToList(),
            repeated.Select(u => new Uri(u)).ToList());
        progress.WriteLine($"bench: {name}: {string.Join(", ", results.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Client} {r.MedianMs:F1} ms ({r.Requests} requests)")))}");
        return result;
    }

    /// <summary>A load of a client handed the list must request exactly the page and the list, each once.</summary>
    private static async Task<ClientLoad> CheckedLoadAsync(IPageClient client, Uri page, IReadOnlyList<Uri> list, string when)
    {
        var load = await LoadAsync(client, page, list, when);
        if (client is CurlPageClient or HttpClientPageClient)
        {
            var handed = list.Prepend(page).Select(u => u.AbsoluteUri).Order(StringComparer.Ordinal);
            if (!load.Urls.Select(u => u.AbsoluteUri).Order(StringComparer.Ordinal).SequenceEqual(handed))
                throw new BenchFailure($"{client.Name} {when}: made {load.Requests} requests, handed {list.Count + 1}");
        }

        return load;
    }

    private static async Task<ClientLoad> LoadAsync(IPageClient client, Uri page, IReadOnlyList<Uri> list, string when)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var deadline = new CancellationTokenSource(LoadDeadline);
        try
        {
            return await client.LoadAsync(page, list, deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new BenchFailure($"{client.Name} {when}: no result within {LoadDeadline.TotalSeconds} s");
        }
    }

    /// <summary>The first three fields of /proc/loadavg.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
