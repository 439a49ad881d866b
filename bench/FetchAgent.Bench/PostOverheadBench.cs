using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using FetchAgent.Daemon;
using FetchAgent.TestServers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace FetchAgent.Bench;

/// <summary>POST wall time minus the load's own actualMs, per call, at one concurrency.</summary>
public sealed record PostOverheadSamples(int Concurrency, IReadOnlyList<double> OverheadMs, IReadOnlyList<double> ActualMs);

/// <summary>
/// Issue 9, item 7: what a POST costs beyond the page load it runs — request handling, recording the load as
/// running, writing the finished 50-object load, serialising the document — when 1, 4 or 16 clients post at once.
/// A real daemon in this process (Kestrel on loopback, a fresh SQLite file, <c>MaxConcurrentLoads</c> = the
/// concurrency and room in the memory budget for all of them, so no load waits for a turn) loads a real 50-object page from a loopback origin.
/// </summary>
public static class PostOverheadBench
{
    public const double TargetP99Ms = 20;
    public static readonly int[] Concurrencies = [1, 4, 16];

    public static async Task<IReadOnlyList<PostOverheadSamples>> RunAsync(int postsPerLevel, int objects, TextWriter progress)
    {
        var folder = Path.Combine(Path.GetTempPath(), "fetchagent-bench-posts", Guid.NewGuid().ToString("N"));
        // The daemon's one line per load would drown the progress lines.
        Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");
        await using var site = Site(objects);
        var results = new List<PostOverheadSamples>();
        try
        {
            foreach (var concurrency in Concurrencies)
            {
                var app = await DaemonHost.BuildAsync("http://127.0.0.1:0", Path.Combine(folder, $"c{concurrency}.db"), o =>
                {
                    o.MaxConcurrentLoads = concurrency;
                    o.MaxQueuedLoads = concurrency;
                    // Room for every load's page budget at once: the memory budget (8 pages by default) would otherwise
                    // hold loads 9 to 16 in the queue, and their wait is admission, not the overhead measured here.
                    o.MemoryBudgetBytes = concurrency * FetchAgent.Engine.Page.PageMemoryLimits.DefaultPageBudgetBytes;
                });
                await app.StartAsync();
                try
                {
                    var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
                    using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(1) };
                    var url = site.Url("/").AbsoluteUri;
                    progress.WriteLine($"bench: POST overhead at concurrency {concurrency}: {StorageBenchOptions.WarmUpIterations} warm-up + {postsPerLevel} posts of a {objects}-object page");
                    await PostManyAsync(client, url, concurrency, StorageBenchOptions.WarmUpIterations, objects);
                    var (overhead, actual) = await PostManyAsync(client, url, concurrency, postsPerLevel, objects);
                    results.Add(new PostOverheadSamples(concurrency, overhead, actual));
                }
                finally
                {
                    await app.StopAsync();
                    await app.DisposeAsync();
                }
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }

        return results;
    }

    /// <summary><paramref name="concurrency"/> clients, each posting one after another until <paramref name="posts"/> are done.</summary>
    private static async Task<(List<double> Overhead, List<double> Actual)> PostManyAsync(HttpClient client, string url, int concurrency, int posts, int objects)
    {
        var overhead = new List<double>(posts);
        var actual = new List<double>(posts);
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < posts)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await client.PostAsJsonAsync("/api/page-loads", new { url });
                var body = await response.Content.ReadAsByteArrayAsync();
                var wall = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if ((int)response.StatusCode != 201)
                    throw new BenchFailure($"POST answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
                using var document = JsonDocument.Parse(body);
                var root = document.RootElement;
                if (root.GetProperty("objects").GetArrayLength() != objects || root.GetProperty("status").GetString() != "completed")
                    throw new BenchFailure($"a load returned {root.GetProperty("objects").GetArrayLength()} objects, status {root.GetProperty("status").GetString()}");
                var actualMs = root.GetProperty("metrics").GetProperty("actualMs").GetDouble();
                lock (overhead)
                {
                    overhead.Add(wall - actualMs);
                    actual.Add(actualMs);
                }
            }
        })));
        return (overhead, actual);
    }

    /// <summary>A document, 4 stylesheets and the rest images of 2 KiB: 50 objects, as in the storage bench's loads.</summary>
    private static StaticOrigin Site(int objects)
    {
        var images = objects - 5;
        var html = string.Concat(Enumerable.Range(0, 4).Select(i => $"<link rel=stylesheet href=/s{i}.css>")) +
                   string.Concat(Enumerable.Range(0, images).Select(i => $"<img src=/i{i}.png>"));
        var site = new StaticOrigin().Add("/", SiteResource.Html($"<!doctype html><title>bench</title>{html}"));
        for (var i = 0; i < 4; i++)
            site.Add($"/s{i}.css", SiteResource.Css($"body{{margin:{i}px}}"));
        for (var i = 0; i < images; i++)
            site.Add($"/i{i}.png", SiteResource.Image(2048));
        return site;
    }
}
