using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FetchAgent.TestServers;

namespace FetchAgent.Tests.Api;

/// <summary>
/// Item 4 of issue 7: one load at a time by default, and every document says how many other loads
/// ran beside it (concurrentLoads), in the document, the list and the HAR.
/// </summary>
public sealed class ConcurrentLoadsTests
{
    /// <summary>
    /// Holds every document response until <paramref name="loads"/> document requests have arrived: the
    /// loads are certainly on the clock together, with no timing guess.
    /// </summary>
    private static ScriptedServer GatedSite(int loads)
    {
        var arrived = 0;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return new ScriptedServer(async connection =>
        {
            while (await connection.ReadRequestAsync() is { } request)
            {
                if (request.Target == "/" && Interlocked.Increment(ref arrived) == loads)
                    all.TrySetResult();
                await all.Task.WaitAsync(TimeSpan.FromSeconds(30), connection.Stopping);
                var body = Encoding.UTF8.GetBytes("<!doctype html><title>gated</title>");
                await connection.WriteAsync($"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {body.Length}\r\n\r\n");
                await connection.WriteAsync(body);
            }
        });
    }

    [Fact]
    public async Task Two_loads_on_the_clock_together_each_record_one_other_everywhere_the_load_is_read()
    {
        await using var site = GatedSite(loads: 2);
        await using var daemon = await Daemon.StartAsync(configure: o => o.MaxConcurrentLoads = 2);

        var posts = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => daemon.Client.PostAsJsonAsync("/api/page-loads", new { url = site.Url("/").AbsoluteUri })));

        Assert.All(posts, p => Assert.Equal(HttpStatusCode.Created, p.StatusCode));
        var ids = new List<long>();
        foreach (var post in posts)
        {
            var document = await daemon.JsonAsync(post);
            Assert.Equal("completed", document.GetProperty("status").GetString());
            Assert.Equal(1, document.GetProperty("concurrentLoads").GetInt32());
            ids.Add(document.GetProperty("id").GetInt64());
        }

        foreach (var id in ids)
        {
            var stored = await daemon.JsonAsync(await daemon.Client.GetAsync($"/api/page-loads/{id}"));
            Assert.Equal(1, stored.GetProperty("concurrentLoads").GetInt32());
            var har = await daemon.JsonAsync(await daemon.Client.GetAsync($"/api/page-loads/{id}/har"));
            Assert.Equal(1, har.GetProperty("log").GetProperty("pages")[0].GetProperty("_fetchAgent").GetProperty("concurrentLoads").GetInt32());
        }

        var list = await daemon.JsonAsync(await daemon.Client.GetAsync("/api/page-loads"));
        Assert.Equal([1, 1], list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("concurrentLoads").GetInt32()));
    }

    [Fact]
    public async Task By_default_two_posted_loads_run_one_after_the_other_and_each_ran_alone()
    {
        // Slow images keep the first load on the clock long enough that a second turn would overlap it.
        await using var site = PageLoadsApiTests.Site(imageDelay: TimeSpan.FromMilliseconds(250));
        await using var daemon = await Daemon.StartAsync();

        var ids = new List<long>();
        for (var i = 0; i < 2; i++)
        {
            var accepted = await daemon.Client.PostAsJsonAsync("/api/page-loads?wait=false", new { url = site.Url("/").AbsoluteUri });
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            ids.Add((await daemon.JsonAsync(accepted)).GetProperty("id").GetInt64());
        }

        var documents = new List<JsonElement>();
        foreach (var id in ids)
        {
            // The events stream ends with the load: an event-driven wait, no polling.
            Assert.Contains("event: done", await daemon.Client.GetStringAsync($"/api/page-loads/{id}/events"));
            documents.Add(await daemon.JsonAsync(await daemon.Client.GetAsync($"/api/page-loads/{id}")));
        }

        Assert.All(documents, d => Assert.Equal("completed", d.GetProperty("status").GetString()));
        Assert.Equal([0, 0], documents.Select(d => d.GetProperty("concurrentLoads").GetInt32()));
        var ordered = documents.OrderBy(d => d.GetProperty("startedAt").GetDateTimeOffset()).ToList();
        var firstEnd = ordered[0].GetProperty("startedAt").GetDateTimeOffset()
            .AddMilliseconds(ordered[0].GetProperty("metrics").GetProperty("actualMs").GetDouble());
        var secondStart = ordered[1].GetProperty("startedAt").GetDateTimeOffset();
        Assert.True(secondStart >= firstEnd, $"the second load started at {secondStart:O}, before the first ended at {firstEnd:O}");
    }
}
