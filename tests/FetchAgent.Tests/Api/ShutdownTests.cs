using System.Net;
using System.Net.Http.Json;
using FetchAgent.TestServers;

namespace FetchAgent.Tests.Api;

/// <summary>Graceful shutdown: a running load finishes within the grace period, or is stopped and stored as failed.</summary>
public sealed class ShutdownTests
{
    private static async Task<(string Database, long Id)> StartSlowLoadThenStop(TimeSpan imageDelay, int graceSeconds)
    {
        await using var site = PageLoadsApiTests.Site(imageDelay);
        var database = Daemon.NewDatabasePath();
        long id;
        await using (var daemon = await Daemon.StartAsync(database, o => o.ShutdownGraceSeconds = graceSeconds))
        {
            var response = await daemon.Client.PostAsJsonAsync("/api/page-loads?wait=false", new { url = site.Url("/").AbsoluteUri });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            id = (await daemon.JsonAsync(response)).GetProperty("id").GetInt64();
        }

        return (database, id);
    }

    [Fact]
    public async Task A_load_that_outlives_the_grace_period_is_stored_as_failed()
    {
        var (database, id) = await StartSlowLoadThenStop(TimeSpan.FromSeconds(30), graceSeconds: 0);

        await using var again = await Daemon.StartAsync(database);
        var document = await again.JsonAsync(await again.Client.GetAsync($"/api/page-loads/{id}"));
        Assert.Equal("failed", document.GetProperty("status").GetString());
        Assert.Equal("daemon stopped while the load was running", document.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_load_that_finishes_within_the_grace_period_is_stored_whole()
    {
        var (database, id) = await StartSlowLoadThenStop(TimeSpan.FromMilliseconds(300), graceSeconds: 20);

        await using var again = await Daemon.StartAsync(database);
        var document = await again.JsonAsync(await again.Client.GetAsync($"/api/page-loads/{id}"));
        Assert.Equal("completed", document.GetProperty("status").GetString());
        Assert.Equal(4, document.GetProperty("objects").GetArrayLength());
    }
}
