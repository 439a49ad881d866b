namespace FetchAgent.Bench;

/// <summary>The command line of <c>storage</c>; <see cref="Parse"/> names the argument that is wrong.</summary>
public sealed record StorageBenchOptions
{
    /// <summary>The targets, at 10,000 loads of 50 objects.</summary>
    public const double ListTargetMs = 10;
    public const double GetTargetMs = 10;
    public const double WriteTargetMs = 5;

    public const int WarmUpIterations = 20;

    public int Loads { get; init; } = 10_000;
    public int Objects { get; init; } = 50;
    public int Iterations { get; init; } = 1_000;

    /// <summary>Seed of the generated loads, so two runs store the same database.</summary>
    public int Seed { get; init; } = 20_260_101;

    /// <summary>POSTs measured at each concurrency (1, 4, 16) against a real daemon in this process.</summary>
    public int Posts { get; init; } = 200;

    /// <summary>Only the POST overhead part (skips filling 10,000 loads).</summary>
    public bool PostsOnly { get; init; }

    /// <summary>Issue 17: a PostgreSQL server's connection string; the same store operations then run in a fresh database there too.</summary>
    public string? Postgres { get; init; }

    /// <summary>Only the store part (skips the POST overhead part).</summary>
    public bool StoreOnly { get; init; }

    /// <summary>Leave the database file behind (its path is printed) to look at it with sqlite3.</summary>
    public bool Keep { get; init; }

    public const string Usage = """
        usage: FetchAgent.Bench storage [--loads N] [--objects N] [--iterations N] [--seed N] [--keep] [--posts N] [--posts-only] [--store-only] [--postgres CONNSTRING]

        Stores --loads generated page loads of --objects objects each (5 URLs on 3 hosts,
        every strategy, headers and timings like real ones) into a fresh SQLite database in a
        temp folder, through IPageLoadStore.InsertAsync, then measures directly against the store:
        ListAsync(url, limit 50), ListAsync with a cursor deep in that URL's history, GetAsync(id)
        of random ids, and InsertAsync of one more load. Prints median and p95 of each next to
        the targets (listing and fetching under 10 ms median, writing under 5 ms), and the file size.

          --loads N       page loads stored before measuring, 1..100000 (default 10000)
          --objects N     objects per load, 1..500 (default 50)
          --iterations N  measured calls per operation, 10..100000 (default 1000); 20 warm-up calls each come first
          --seed N        seed of the generated loads (default 20260101)
          --keep          keep the database file (for sqlite3, EXPLAIN QUERY PLAN) instead of deleting it
          --posts N       then, against a real daemon in this process on a loopback page of --objects objects:
                          POST wall time minus the load's actualMs, N posts at each concurrency 1, 4 and 16
                          (default 200; target p99 under 20 ms)
          --posts-only    only that part
          --store-only    only the store part, no POSTs
          --postgres CS   also run the store part against PostgreSQL: a fresh database in the server this
                          Npgsql connection string names (its user may CREATE DATABASE), dropped at the end;
                          both tables print, PostgreSQL's with SQLite's medians beside it
          --help          this text

        exit codes: 0 measured (targets met or not), 1 a read did not return what was stored, 2 bad arguments
        """;

    /// <returns>The options, or null with <paramref name="error"/> set (or <paramref name="help"/> true).</returns>
    public static StorageBenchOptions? Parse(IReadOnlyList<string> args, out string? error, out bool help)
    {
        if ((args.Count == 0 || args[0] != "storage") && !BenchArguments.AsksForHelp(args))
        {
            (error, help) = ("expected the storage command", false);
            return null;
        }

        var options = BenchArguments.Parse(args, new StorageBenchOptions(),
        [
            BenchArguments.Flag<StorageBenchOptions>("--keep", o => o with { Keep = true }),
            BenchArguments.Flag<StorageBenchOptions>("--store-only", o => o with { StoreOnly = true }),
            BenchArguments.Flag<StorageBenchOptions>("--posts-only", o => o with { PostsOnly = true }),
            BenchArguments.Int<StorageBenchOptions>("--loads", 1, 100_000, (o, v) => o with { Loads = v }),
            BenchArguments.Int<StorageBenchOptions>("--objects", 1, 500, (o, v) => o with { Objects = v }),
            BenchArguments.Int<StorageBenchOptions>("--iterations", 10, 100_000, (o, v) => o with { Iterations = v }),
            BenchArguments.Int<StorageBenchOptions>("--posts", 10, 100_000, (o, v) => o with { Posts = v }),
            BenchArguments.Text<StorageBenchOptions>("--postgres", (o, v) => o with { Postgres = v },
                v => v.Length == 0 || v.StartsWith("--", StringComparison.Ordinal) ? "a PostgreSQL connection string is required" : null),
            BenchArguments.Int<StorageBenchOptions>("--seed", int.MinValue, int.MaxValue, (o, v) => o with { Seed = v }),
        ], out error, out help);
        if (options is { PostsOnly: true, StoreOnly: true })
        {
            error = "--posts-only and --store-only leave nothing to run";
            return null;
        }

        return options;
    }
}
