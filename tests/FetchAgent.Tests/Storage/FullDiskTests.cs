using System.Net;
using System.Net.Http.Json;
using FetchAgent.TestServers;

namespace FetchAgent.Tests.Storage;

/// <summary>
/// Issue 9, item 6: the daemon's database on a real 4 MiB tmpfs that fills up while a load runs. The write that
/// fails is a 507 problem, the load is kept in memory as failed, /healthz says why, and all of it heals with room.
/// </summary>
public sealed class FullDiskTests
{
    [Fact]
    public async Task A_full_disk_is_a_507_the_load_stays_readable_as_failed_and_health_says_why_until_there_is_room()
    {
        await using var disk = await Tmpfs.MountAsync("4m");
        var release = new TaskCompletionSource();
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Html("<img src=/a.png><img src=/b.png><img src=/c.png>" + new string(' ', 200)) with { HoldAt = 20, Release = release.Task })
            .Add("/a.png", SiteResource.Image(500))
            .Add("/b.png", SiteResource.Image(600))
            .Add("/c.png", SiteResource.Image(700));
        var url = site.Url("/").AbsoluteUri;
        string? filler = null;
        await using (var daemon = await Api.Daemon.StartAsync(Path.Combine(disk.Folder, "fetchagent.db")))
        {
            // The load is recorded as running (room enough), then the disk fills while the document is held.
            var post = daemon.Client.PostAsJsonAsync("/api/page-loads", new { url });
            await site.WhenRequested("/");
            filler = disk.Fill();
            release.SetResult();
            var response = await post;

            Assert.Equal(HttpStatusCode.InsufficientStorage, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            var problem = await daemon.JsonAsync(response);
            var id = problem.GetProperty("pageLoadId").GetInt64();
            Assert.Equal("the database's disk is full", problem.GetProperty("title").GetString());
            Assert.Equal("database or disk is full (SQLite error 13)", problem.GetProperty("cause").GetString());
            Assert.Equal($"/api/page-loads/{id}", problem.GetProperty("instance").GetString());
            Assert.Null(response.Headers.Location);

            // GET answers from memory: failed, saying why, with everything measured.
            var kept = await daemon.JsonAsync(await daemon.Client.GetAsync($"/api/page-loads/{id}"));
            Assert.Equal("failed", kept.GetProperty("status").GetString());
            Assert.Equal("not stored: database or disk is full (SQLite error 13)", kept.GetProperty("error").GetString());
            Assert.Equal(4, kept.GetProperty("objects").GetArrayLength());
            Assert.Equal(HttpStatusCode.OK, (await daemon.Client.GetAsync($"/api/page-loads/{id}/har")).StatusCode);
            var listed = (await daemon.JsonAsync(await daemon.Client.GetAsync("/api/page-loads"))).GetProperty("items").EnumerateArray().Single();
            Assert.Equal(id, listed.GetProperty("id").GetInt64());
            Assert.Equal("failed", listed.GetProperty("status").GetString());

            var health = await daemon.Client.GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            var cause = await daemon.JsonAsync(health);
            Assert.Equal("the last write failed: database or disk is full (SQLite error 13)", cause.GetProperty("detail").GetString());
            Assert.True(cause.GetProperty("diskFull").GetBoolean());
            Assert.DoesNotContain(disk.Folder, cause.ToString());

            // A new load cannot even be recorded: 507 at once, nothing run.
            var refused = await daemon.Client.PostAsJsonAsync("/api/page-loads?wait=false", new { url });
            Assert.Equal(HttpStatusCode.InsufficientStorage, refused.StatusCode);
            Assert.Equal("database or disk is full (SQLite error 13)", (await daemon.JsonAsync(refused)).GetProperty("cause").GetString());
            Assert.Equal(1, site.Requests.Count(r => r.Target == "/"));

            // Room again: the next load is stored and health recovers.
            File.Delete(filler);
            var stored = await daemon.Client.PostAsJsonAsync("/api/page-loads", new { url });
            Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await daemon.Client.GetAsync("/healthz")).StatusCode);
            Assert.Equal("completed", (await daemon.JsonAsync(await daemon.Client.GetAsync(stored.Headers.Location))).GetProperty("status").GetString());
        }
    }
}
