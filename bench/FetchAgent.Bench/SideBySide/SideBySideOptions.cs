namespace FetchAgent.Bench.SideBySide;

/// <summary>The command line of <c>side-by-side</c>; <see cref="Parse"/> names the argument that is wrong.</summary>
/// <param name="Runs">Measured loads per client of the generated page.</param>
/// <param name="CorpusRuns">Measured loads per client of each corpus page (0 leaves the corpus out).</param>
/// <param name="Connections">The connection budget N per host: FetchAgent's and HttpClient's limit; curl's transfer limit is N times the hosts a page names.</param>
/// <param name="Objects">Sub-resources of the generated page.</param>
/// <param name="DelayMs">nginx holds every response this long (echo_sleep) before answering.</param>
public sealed record SideBySideOptions(int Runs, int CorpusRuns, int Connections, int Objects, int DelayMs, int Seed)
{
    public static readonly SideBySideOptions Defaults = new(10, 3, 6, 100, 0, 20_260_101);

    /// <summary>Loads per client before the measured ones, on each page (JIT, nginx's page cache, Chromium's start-up).</summary>
    public const int WarmUpLoads = 2;

    public const string Usage = """
        usage: FetchAgent.Bench side-by-side [--runs N] [--corpus-runs N] [--connections N] [--objects N] [--delay-ms N] [--seed N]

        Loads the same pages with what a user would pick instead of FetchAgent, with the same connection budget:
        FetchAgent (PageLoader in this process, persistent, N per host), curl (Debian's, one process per load:
        --parallel --parallel-max N per host, keep-alive, every URL in one invocation), HttpClient (SocketsHttpHandler,
        MaxConnectionsPerServer N, a new handler per load) and headless Chromium (Debian's, driven by Playwright, a new
        browser context per load; its budget is its own, 6 per host). curl and HttpClient are handed the URL list
        FetchAgent discovered; Chromium parses the page itself. Pages: the generated page (a document and --objects
        sub-resources on two nginx hosts, 127.0.0.1 and 127.0.0.2) and every page of the documentation corpus
        (tests/FetchAgent.TestServers/Corpus) on one nginx, all behind --delay-ms. Prints per page the median time per
        load of each client, its ratio to FetchAgent's, and the requests (and connections) each client made.

          --runs N          measured loads per client of the generated page, 1..1000 (default 10); 2 warm-up loads first
          --corpus-runs N   measured loads per client of each corpus page, 0..100 (default 3; 0 leaves the corpus out)
          --connections N   the connection budget per host, 1..32 (default 6, Chromium's own)
          --objects N       sub-resources of the generated page, 1..499 (default 100)
          --delay-ms N      nginx holds every response N ms (echo_sleep), 0..5000 (default 0)
          --seed N          seed of the generated sizes and bytes (default 20260101)

        exit codes: 0 measured, 1 a load failed or a client made other requests than it was handed, 2 bad arguments
        """;

    public static SideBySideOptions? Parse(IReadOnlyList<string> args, out string? error, out bool help) =>
        BenchArguments.Parse(args, Defaults,
        [
            BenchArguments.Int<SideBySideOptions>("--runs", 1, 1000, (o, v) => o with { Runs = v }),
            BenchArguments.Int<SideBySideOptions>("--corpus-runs", 0, 100, (o, v) => o with { CorpusRuns = v }),
            BenchArguments.Int<SideBySideOptions>("--connections", 1, 32, (o, v) => o with { Connections = v }),
            BenchArguments.Int<SideBySideOptions>("--objects", 1, BenchOptions.MaxSubResources, (o, v) => o with { Objects = v }),
            BenchArguments.Int<SideBySideOptions>("--delay-ms", 0, 5000, (o, v) => o with { DelayMs = v }),
            BenchArguments.Int<SideBySideOptions>("--seed", int.MinValue, int.MaxValue, (o, v) => o with { Seed = v }),
        ], out error, out help);
}
