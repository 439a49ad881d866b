using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FetchAgent.Daemon;
using FetchAgent.TestServers;
using FetchAgent.Tests.Api;

namespace FetchAgent.Tests.Daemon;

/// <summary>Issue 9 item 1: the daemon's memory budget makes a load wait for its turn rather than run beside another.</summary>
public sealed class MemoryBudgetTests
{
    [Fact]
    public async Task With_room_for_one_page_a_second_load_waits_for_the_first_and_never_runs_beside_it()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var site = new StaticOrigin();
        site.Add("/first", SiteResource.Html("<!doctype html><img src=/a.png>" + new string(' ', 4000) + "<p>end") with { HoldAt = 100, Release = release.Task })
            .Add("/second", SiteResource.Html("<!doctype html><img src=/b.png>"))
            .Add("/a.png", SiteResource.Image(10))
            .Add("/b.png", SiteResource.Image(10));
        // Two turns, but a budget smaller than one page's: each load reserves the whole budget, so one runs at a time.
        await using var daemon = await Api.Daemon.StartAsync(configure: o => { o.MaxConcurrentLoads = 2; o.MemoryBudgetBytes = 1; });
        var service = daemon.App.Services.GetRequiredService<PageLoadService>();

        var first = await PostAsync(daemon, site.Url("/first"));
        await site.WhenRequested("/first"); // the first load runs, its document held
        var second = await PostAsync(daemon, site.Url("/second"));
        await service.Memory.SomeoneWaits.WaitAsync(TimeSpan.FromSeconds(30)); // the second has a turn and waits for room
        Assert.Equal(1, service.Memory.Waiting);
        Assert.DoesNotContain(site.Requests, r => r.Target == "/second");

        release.SetResult();
        var firstDone = await service.Live(first)!.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        var secondDone = await (service.Live(second)?.Completion ?? Task.FromResult(firstDone)).WaitAsync(TimeSpan.FromSeconds(30));

        var stored1 = await GetAsync(daemon, first);
        var stored2 = await GetAsync(daemon, second);
        Assert.Equal(("completed", "completed"), (stored1.GetProperty("status").GetString(), stored2.GetProperty("status").GetString()));
        Assert.Equal((0, 0), (stored1.GetProperty("concurrentLoads").GetInt32(), stored2.GetProperty("concurrentLoads").GetInt32()));
        // The second started after the first's last object ended (both on the same wall clock).
        var firstEnd = stored1.GetProperty("startedAt").GetDateTimeOffset().AddMilliseconds(stored1.GetProperty("metrics").GetProperty("actualMs").GetDouble());
        Assert.True(stored2.GetProperty("startedAt").GetDateTimeOffset() >= firstEnd, $"second started {stored2.GetProperty("startedAt")}, first ended {firstEnd:O}");
        var order = site.Requests.Select(r => r.Target).ToList();
        Assert.Equal(["/first", "/a.png", "/second", "/b.png"], order);
        Assert.Equal(0, service.Memory.Waiting);
    }

    private static async Task<long> PostAsync(Api.Daemon daemon, Uri url)
    {
        var response = await daemon.Client.PostAsJsonAsync("/api/page-loads?wait=false", new { url = url.AbsoluteUri });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await daemon.JsonAsync(response)).GetProperty("id").GetInt64();
    }

    private static async Task<JsonElement> GetAsync(Api.Daemon daemon, long id) =>
        await daemon.JsonAsync(await daemon.Client.GetAsync($"/api/page-loads/{id}"));
}
