using System.Diagnostics;
using FetchAgent.Storage;
using FetchAgent.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace FetchAgent.Bench;

/// <summary>Milliseconds of each call of one storage operation.</summary>
public sealed record OperationSamples(string Name, string Call, IReadOnlyList<double> Ms, double TargetMs);

/// <summary>Everything the storage bench measured, for the table.</summary>
public sealed record StorageReport(
    StorageBenchOptions Options,
    string DatabasePath,
    TimeSpan SeedTime,
    IReadOnlyList<double> SeedWriteMs,
    IReadOnlyList<OperationSamples> Operations,
    long DatabaseBytes,
    long WalBytes,
    long StoredLoads,
    long StoredObjects,
    string SqliteVersion)
{
    /// <summary>POST wall time minus actualMs at each concurrency (<see cref="PostOverheadBench"/>).</summary>
    public IReadOnlyList<PostOverheadSamples> Posts { get; init; } = [];

    /// <summary>Issue 17: the same operations against PostgreSQL (<c>--postgres</c>); null when not asked for.</summary>
    public PostgresStorageReport? Postgres { get; init; }
}

/// <summary>
/// Fills a fresh database through the store, as the daemon would, then times single calls against the
/// store directly (no HTTP): what a request handler waits for. Each call opens its own pooled connection,
/// as a request does. Nothing is averaged away: every call is one sample, GC pauses included.
/// </summary>
public static class StorageBench
{
    public static async Task<StorageReport> RunAsync(StorageBenchOptions options, TextWriter progress)
    {
        var store = options.PostsOnly
            ? new StorageReport(options, "", TimeSpan.Zero, [], [], 0, 0, 0, 0, "")
            : await RunStoreAsync(options, progress);
        if (!options.PostsOnly && options.Postgres is { } server)
            store = store with { Postgres = await PostgresStorageBench.RunAsync(options, server, progress) };
        if (options.StoreOnly)
            return store;
        return store with { Posts = await PostOverheadBench.RunAsync(options.Posts, options.Objects, progress) };
    }

    private static async Task<StorageReport> RunStoreAsync(StorageBenchOptions options, TextWriter progress)
    {
        var folder = Path.Combine(Path.GetTempPath(), "fetchagent-bench-storage", Guid.NewGuid().ToString("N"));
        var path = Path.Combine(folder, "bench.db");
        try
        {
            var database = new SqliteDatabase(path);
            await database.MigrateAsync();
            progress.WriteLine($"bench: storing {options.Loads} loads of {options.Objects} objects into {path}");
            var (seedTime, seedWrites, operations) = await MeasureStoreAsync(new SqlitePageLoadStore(database), options, progress);
            var (loads, objects, version) = await CountAsync(database);
            SqliteConnection.ClearAllPools();
            return new StorageReport(
                options, path, seedTime, seedWrites, operations,
                FileSize(path), FileSize(path + "-wal"), loads, objects, version);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (options.Keep)
                progress.WriteLine($"bench: kept {path}");
            else if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// The same work for every database: <see cref="StorageBenchOptions.Loads"/> generated loads stored one by one,
    /// then each operation timed call by call.
    /// </summary>
    internal static async Task<(TimeSpan SeedTime, IReadOnlyList<double> SeedWriteMs, IReadOnlyList<OperationSamples> Operations)> MeasureStoreAsync(
        IPageLoadStore store, StorageBenchOptions options, TextWriter progress)
    {
        var generator = new GeneratedLoads(options.Objects, options.Seed);

        var stored = new List<(long Id, string Url, DateTimeOffset StartedAt)>(options.Loads);
        var seedWrites = new List<double>(options.Loads);
        var seedStarted = Stopwatch.GetTimestamp();
        for (var i = 0; i < options.Loads; i++)
        {
            var document = generator.Next();
            var started = Stopwatch.GetTimestamp();
            await store.InsertAsync(document);
            seedWrites.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            stored.Add((document.Id, document.Url, document.StartedAt));
            if ((i + 1) % 2000 == 0)
                progress.WriteLine($"bench: {i + 1} stored");
        }

        var seedTime = Stopwatch.GetElapsedTime(seedStarted);
        progress.WriteLine($"bench: stored in {seedTime.TotalSeconds:F1} s; measuring {options.Iterations} calls per operation");

        var random = new Random(options.Seed);
        var byUrl = stored.GroupBy(s => s.Url).ToDictionary(g => g.Key, g => g.ToList());
        var urls = GeneratedLoads.Urls;

        var list = await MeasureAsync(options, async i =>
        {
            var url = urls[i % urls.Length];
            var page = await store.ListAsync(new PageLoadQuery { Url = url, Limit = 50 });
            Check(page.Items.Count == Math.Min(50, byUrl[url].Count) && page.Items.All(s => s.Url == url), $"list of {url} returned {page.Items.Count} items");
        });
        var deepList = await MeasureAsync(options, async i =>
        {
            var url = urls[i % urls.Length];
            var from = byUrl[url][random.Next(byUrl[url].Count)];
            var page = await store.ListAsync(new PageLoadQuery { Url = url, Limit = 50, Cursor = new PageLoadCursor(from.StartedAt, from.Id).Encode() });
            Check(page.Items.All(s => s.Url == url && s.StartedAt <= from.StartedAt), $"cursor page of {url} holds another URL or a newer load");
        });
        var get = await MeasureAsync(options, async _ =>
        {
            var (id, url, _) = stored[random.Next(stored.Count)];
            var document = await store.GetAsync(id);
            Check(document is not null && document.Url == url && document.Objects.Count == options.Objects, $"page load {id} did not read back whole");
        });
        // Generated up front: the sample is the store's work, not the generator's.
        var toWrite = Enumerable.Range(0, StorageBenchOptions.WarmUpIterations + options.Iterations).Select(_ => generator.Next()).ToList();
        var write = await MeasureAsync(options, async i =>
        {
            var document = toWrite[i];
            await store.InsertAsync(document);
            Check(document.Id > 0, "InsertAsync gave no id");
        });

        return (seedTime, seedWrites,
        [
            new OperationSamples("list", "ListAsync(url, limit 50), first page", list, StorageBenchOptions.ListTargetMs),
            new OperationSamples("list deep", "ListAsync(url, limit 50, cursor at a random load)", deepList, StorageBenchOptions.ListTargetMs),
            new OperationSamples("get", $"GetAsync(random id): {options.Objects} objects", get, StorageBenchOptions.GetTargetMs),
            new OperationSamples("write", $"InsertAsync({options.Objects}-object load)", write, StorageBenchOptions.WriteTargetMs),
        ]);
    }

    /// <summary>Warm-up calls first (JIT, page cache, pooled connections), then one timed sample per call.</summary>
    /// <param name="call">Given the call's number: 0.. for the warm-up, then on without restarting.</param>
    private static async Task<IReadOnlyList<double>> MeasureAsync(StorageBenchOptions options, Func<int, Task> call)
    {
        const int warmUp = StorageBenchOptions.WarmUpIterations;
        for (var i = 0; i < warmUp; i++)
            await call(i);
        var samples = new List<double>(options.Iterations);
        for (var i = warmUp; i < warmUp + options.Iterations; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await call(i);
            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return samples;
    }

    private static void Check(bool ok, string what)
    {
        if (!ok)
            throw new BenchFailure(what);
    }

    private static async Task<(long Loads, long Objects, string Version)> CountAsync(SqliteDatabase database)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT count(*) FROM page_loads), (SELECT count(*) FROM objects);";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), connection.ServerVersion);
    }

    private static long FileSize(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
