using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FetchAgent.TestServers;
using Microsoft.Data.Sqlite;

namespace FetchAgent.Tests.Api;

/// <summary>Issue 9, item 2's cancel: DELETE of a running or queued load against a real daemon and a real SQLite file.</summary>
public sealed class CancelTests
{
    private static readonly TimeSpan Forever = TimeSpan.FromHours(1);

    [Fact]
    public async Task Delete_of_a_running_load_cancels_it_keeping_what_finished_and_the_events_end_with_done_cancelled()
    {
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Html("<img src=/a.png><img src=/held.png>"))
            .Add("/a.png", SiteResource.Image(300))
            .Add("/held.png", SiteResource.Image(300) with { Delay = Forever });
        await using var daemon = await Daemon.StartAsync();
        var started = await daemon.JsonAsync(await daemon.Client.PostAsJsonAsync("/api/page-loads?wait=false", new { url = site.Url("/").AbsoluteUri }));
        var id = started.GetProperty("id").GetInt64();

        // Follow the events until the document and the first image have finished, with the held one requested.
        using var events = await daemon.Client.GetAsync($"/api/page-loads/{id}/events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await events.Content.ReadAsStreamAsync());
        var seen = new List<string>();
        while (seen.Count(l => l == "event: object") < 2)
            seen.Add(await reader.ReadLineAsync() ?? throw new InvalidOperationException("events ended early"));
        await site.WhenRequested("/held.png").WaitAsync(TimeSpan.FromSeconds(30));

        var cancel = await daemon.DeleteAsync($"/api/page-loads/{id}");

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Equal($"/api/page-loads/{id}", cancel.Headers.Location!.OriginalString);
        var answered = await cancel.Content.ReadAsStringAsync();
        var stored = await daemon.Client.GetStringAsync($"/api/page-loads/{id}");
        Assert.Equal(answered, stored);
        var document = JsonDocument.Parse(stored).RootElement;
        Assert.Equal("cancelled", document.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, document.GetProperty("error").ValueKind);
        var objects = document.GetProperty("objects").EnumerateArray()
            .Select(o => (new Uri(o.GetProperty("url").GetString()!).AbsolutePath, o.GetProperty("status").ValueKind == JsonValueKind.Null ? 0 : o.GetProperty("status").GetInt32(), o.GetProperty("error").GetString()))
            .ToList();
        Assert.Equal([("/", 200, null), ("/a.png", 200, null), ("/held.png", 0, "cancelled")], objects);

        // The rest of the stream: the held object, then done carrying the status.
        var rest = await reader.ReadToEndAsync();
        var doneData = rest.Split('\n').SkipWhile(l => l != "event: done").Skip(1).First(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..];
        var done = JsonDocument.Parse(doneData).RootElement;
        Assert.Equal((id, "cancelled"), (done.GetProperty("id").GetInt64(), done.GetProperty("status").GetString()));
        Assert.Equal(3, seen.Concat(rest.Split('\n')).Count(l => l == "event: object"));

        // The database's row, exactly, and the list filter.
        Assert.Equal("cancelled", await RowStatusAsync(daemon.DatabasePath, id));
        var listed = await daemon.JsonAsync(await daemon.Client.GetAsync("/api/page-loads?status=cancelled"));
        Assert.Equal([id], listed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        Assert.Equal("cancelled", listed.GetProperty("items")[0].GetProperty("status").GetString());
        Assert.Equal(0, (await daemon.JsonAsync(await daemon.Client.GetAsync("/api/page-loads?status=running"))).GetProperty("items").GetArrayLength());

        // Once ended, DELETE deletes it.
        Assert.Equal(HttpStatusCode.NoContent, (await daemon.DeleteAsync($"/api/page-loads/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await daemon.Client.GetAsync($"/api/page-loads/{id}")).StatusCode);
        Assert.Null(await RowStatusAsync(daemon.DatabasePath, id));
    }

    [Fact]
    public async Task Delete_of_a_queued_load_cancels_it_before_it_runs_and_leaves_the_running_one_alone()
    {
        var release = new TaskCompletionSource();
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Html("<p>first" + new string(' ', 100)) with { HoldAt = 10, Release = release.Task })
            .Add("/second", SiteResource.Html("<p>second"));
        await using var daemon = await Daemon.StartAsync(configure: o => o.MaxConcurrentLoads = 1);
        var first = (await daemon.JsonAsync(await daemon.Client.PostAsJsonAsync("/api/page-loads?wait=false", new { url = site.Url("/").AbsoluteUri }))).GetProperty("id").GetInt64();
        await site.WhenRequested("/").WaitAsync(TimeSpan.FromSeconds(30));
        var second = (await daemon.JsonAsync(await daemon.Client.PostAsJsonAsync("/api/page-loads?wait=false", new { url = site.Url("/second").AbsoluteUri }))).GetProperty("id").GetInt64();

        var cancel = await daemon.DeleteAsync($"/api/page-loads/{second}");

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        var cancelled = await daemon.JsonAsync(await daemon.Client.GetAsync($"/api/page-loads/{second}"));
        Assert.Equal(("cancelled", "cancelled before it started", 0), (cancelled.GetProperty("status").GetString(), cancelled.GetProperty("error").GetString(), cancelled.GetProperty("objects").GetArrayLength()));
        Assert.Equal("cancelled", await RowStatusAsync(daemon.DatabasePath, second));
        var replay = await daemon.Client.GetStringAsync($"/api/page-loads/{second}/events");
        Assert.Equal(["event: done"], replay.Split('\n').Where(l => l.StartsWith("event: ", StringComparison.Ordinal)));
        Assert.Contains("\"status\":\"cancelled\"", replay, StringComparison.Ordinal);

        // The running one is untouched by it, and its turn was never given to the cancelled one.
        Assert.Equal("running", (await daemon.JsonAsync(await daemon.Client.GetAsync($"/api/page-loads/{first}"))).GetProperty("status").GetString());
        release.SetResult();
        using var events = await daemon.Client.GetAsync($"/api/page-loads/{first}/events");
        Assert.Contains("\"status\":\"completed\"", await events.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("completed", await RowStatusAsync(daemon.DatabasePath, first));
        Assert.DoesNotContain(site.Requests, r => r.Target == "/second");
    }

    [Fact]
    public async Task Delete_right_after_a_loads_201_deletes_it_and_never_cancels_it()
    {
        // The finished load leaves the daemon's live table a moment after its answer: a DELETE in that moment is a
        // delete of a finished load (204), not a cancel (202). Ten times, to meet the moment.
        await using var site = new StaticOrigin().Add("/", SiteResource.Html("<p>done"));
        await using var daemon = await Daemon.StartAsync();
        for (var i = 0; i < 10; i++)
        {
            var posted = await daemon.Client.PostAsJsonAsync("/api/page-loads", new { url = site.Url("/").AbsoluteUri });
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
            var id = (await daemon.JsonAsync(posted)).GetProperty("id").GetInt64();

            Assert.Equal(HttpStatusCode.NoContent, (await daemon.DeleteAsync($"/api/page-loads/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await daemon.Client.GetAsync($"/api/page-loads/{id}")).StatusCode);
        }
    }

    [Fact]
    public async Task Delete_as_a_load_finishes_either_cancels_it_or_deletes_it_never_answers_202_with_a_completed_load()
    {
        // A DELETE sent at once after a tiny load starts meets it queued, running, finishing (the cancel comes after
        // the last object) or stored. Whichever: 202 carries a cancelled load that stays; 204 leaves nothing behind.
        // Found by CI: a cancel that came after the loader's end answered 202 with status completed.
        await using var site = new StaticOrigin().Add("/", SiteResource.Html("<p>tiny"));
        await using var daemon = await Daemon.StartAsync();
        var outcomes = new HashSet<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            var started = await daemon.Client.PostAsJsonAsync("/api/page-loads?wait=false", new { url = site.Url("/").AbsoluteUri });
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            var id = (await daemon.JsonAsync(started)).GetProperty("id").GetInt64();

            var deleted = await daemon.DeleteAsync($"/api/page-loads/{id}");
            outcomes.Add(deleted.StatusCode);
            if (deleted.StatusCode == HttpStatusCode.Accepted)
            {
                Assert.Equal("cancelled", (await daemon.JsonAsync(deleted)).GetProperty("status").GetString());
                Assert.Equal("cancelled", await RowStatusAsync(daemon.DatabasePath, id));
            }
            else
            {
                Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
                Assert.Equal(HttpStatusCode.NotFound, (await daemon.Client.GetAsync($"/api/page-loads/{id}")).StatusCode);
                Assert.Null(await RowStatusAsync(daemon.DatabasePath, id));
            }
        }

        Assert.Subset(new HashSet<HttpStatusCode> { HttpStatusCode.Accepted, HttpStatusCode.NoContent }, outcomes);
    }

    [Fact]
    public async Task The_status_filter_names_cancelled_among_the_values()
    {
        await using var daemon = await Daemon.StartAsync();
        var problem = await daemon.JsonAsync(await daemon.Client.GetAsync("/api/page-loads?status=stopped"));
        Assert.Equal("must be running, completed, partial, failed or cancelled", problem.GetProperty("errors").GetProperty("status")[0].GetString());
    }

    /// <summary>The page_loads row's status as SQLite holds it; null when there is no row.</summary>
    internal static async Task<string?> RowStatusAsync(string databasePath, long id)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT status FROM page_loads WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        return (string?)await command.ExecuteScalarAsync();
    }
}
