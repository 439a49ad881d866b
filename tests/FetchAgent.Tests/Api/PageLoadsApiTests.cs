using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FetchAgent.TestServers;

namespace FetchAgent.Tests.Api;

public sealed class PageLoadsApiTests
{
    internal static StaticOrigin Site(TimeSpan imageDelay = default) => new StaticOrigin()
        .Add("/", SiteResource.Html("<link rel=stylesheet href=/s.css><img src=/a.png><img src=/b.png>"))
        .Add("/s.css", SiteResource.Css("body{}"))
        .Add("/a.png", SiteResource.Image(500) with { Delay = imageDelay })
        .Add("/b.png", SiteResource.Image(700) with { Delay = imageDelay });

    [Fact]
    public async Task Post_runs_the_load_and_the_stored_document_equals_the_returned_one()
    {
        await using var site = Site();
        await using var daemon = await Daemon.StartAsync();

        var response = await daemon.Client.PostAsJsonAsync("/api/page-loads", new { url = site.Url("/").AbsoluteUri, strategy = "persistent", maxConnectionsPerHost = 1 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var posted = await response.Content.ReadAsStringAsync();
        var document = JsonDocument.Parse(posted).RootElement;
        var id = document.GetProperty("id").GetInt64();
        Assert.Equal($"/api/page-loads/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal("completed", document.GetProperty("status").GetString());
        Assert.Equal(4, document.GetProperty("objects").GetArrayLength());
        Assert.Equal(1, document.GetProperty("options").GetProperty("maxConnectionsPerHost").GetInt32());

        var stored = await daemon.Client.GetStringAsync($"/api/page-loads/{id}");
        Assert.Equal(posted, stored);
    }

    [Fact]
    public async Task A_connection_that_never_opened_is_stored_with_its_error_and_read_back_whole()
    {
        int gonePort;
        await using (var gone = new StaticOrigin())
            gonePort = gone.Port;
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Html($"<img src=/a.png><img src=http://127.0.0.1:{gonePort}/gone.png>"))
            .Add("/a.png", SiteResource.Image(100));
        await using var daemon = await Daemon.StartAsync();

        var response = await daemon.Client.PostAsJsonAsync("/api/page-loads", new { url = site.Url("/").AbsoluteUri });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var posted = await response.Content.ReadAsStringAsync();
        var document = JsonDocument.Parse(posted).RootElement;
        Assert.Equal("partial", document.GetProperty("status").GetString());
        var failed = document.GetProperty("connections").EnumerateArray().Single(c => c.GetProperty("port").GetInt32() == gonePort);
        Assert.Equal("error", failed.GetProperty("closeReason").GetString());
        Assert.Equal($"connect: 127.0.0.1:{gonePort} connection refused", failed.GetProperty("error").GetString());
        Assert.Equal(0, failed.GetProperty("localPort").GetInt32());
        var goneImage = document.GetProperty("objects").EnumerateArray().Single(o => o.GetProperty("url").GetString()!.EndsWith("/gone.png", StringComparison.Ordinal));
        Assert.Equal(failed.GetProperty("id").GetInt32(), goneImage.GetProperty("connectionId").GetInt32());
        Assert.Equal(2, document.GetProperty("metrics").GetProperty("connectionCount").GetInt32());

        var stored = await daemon.Client.GetStringAsync($"/api/page-loads/{document.GetProperty("id").GetInt64()}");
        Assert.Equal(posted, stored);
    }

    [Fact]
    public async Task Wait_false_answers_202_at_once_and_the_events_stream_every_object_then_done()
    {
        await using var site = Site(imageDelay: TimeSpan.FromMilliseconds(300));
        await using var daemon = await Daemon.StartAsync();

        var response = await daemon.Client.PostAsJsonAsync("/api/page-loads?wait=false", new { url = site.Url("/").AbsoluteUri });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var running = await daemon.JsonAsync(response);
        Assert.Equal("running", running.GetProperty("status").GetString());
        var id = running.GetProperty("id").GetInt64();

        var during = await daemon.JsonAsync(await daemon.Client.GetAsync($"/api/page-loads/{id}"));
        Assert.Equal("running", during.GetProperty("status").GetString());

        using var events = await daemon.Client.GetAsync($"/api/page-loads/{id}/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", events.Content.Headers.ContentType!.MediaType);
        var text = await events.Content.ReadAsStringAsync();
        var names = text.Split('\n').Where(l => l.StartsWith("event: ", StringComparison.Ordinal)).Select(l => l["event: ".Length..]).ToList();
        Assert.Equal(["object", "object", "object", "object", "done"], names);

        var done = await daemon.JsonAsync(await daemon.Client.GetAsync($"/api/page-loads/{id}"));
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(4, done.GetProperty("objects").GetArrayLength());

        // A finished load replays its events too.
        var replay = await daemon.Client.GetStringAsync($"/api/page-loads/{id}/events");
        Assert.Equal(4, replay.Split('\n').Count(l => l == "event: object"));
        Assert.Contains("event: done", replay);
    }

    [Theory]
    [InlineData("{\"url\":\"not a url\"}", "url")]
    [InlineData("{\"url\":\"ftp://127.0.0.1/\"}", "url")]
    [InlineData("{}", "url")]
    [InlineData("{\"url\":42}", "url")]
    [InlineData("{\"url\":\"http://127.0.0.1/\",\"strategy\":\"fastest\"}", "strategy")]
    [InlineData("{\"url\":\"http://127.0.0.1/\",\"maxConnectionsPerHost\":0}", "maxConnectionsPerHost")]
    [InlineData("{\"url\":\"http://127.0.0.1/\",\"pipelineDepth\":\"four\"}", "pipelineDepth")]
    [InlineData("{\"url\":\"http://127.0.0.1/\",\"objectTimeoutMs\":-5}", "objectTimeoutMs")]
    [InlineData("{\"url\":\"http://127.0.0.1/\",\"insecure\":\"yes\"}", "insecure")]
    [InlineData("{\"url\":\"http://127.0.0.1/\",\"pageTimeoutMs\":0}", "pageTimeoutMs")]
    [InlineData("{\"url\":\"http://127.0.0.1/\",\"pageTimeoutMs\":3600001}", "pageTimeoutMs")]
    [InlineData("{\"url\":\"http://127.0.0.1/\",\"stratgy\":\"serial\"}", "stratgy")]
    [InlineData("{\"url\": ", "body")]
    [InlineData("[1,2]", "body")]
    public async Task Bad_input_gets_400_naming_the_field(string body, string field)
    {
        await using var daemon = await Daemon.StartAsync();
        var response = await daemon.Client.PostAsync("/api/page-loads", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await daemon.JsonAsync(response);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task The_page_deadline_is_taken_from_the_body_and_recorded_in_the_options()
    {
        await using var site = Site();
        await using var daemon = await Daemon.StartAsync();

        var response = await daemon.Client.PostAsJsonAsync("/api/page-loads", new { url = site.Url("/").AbsoluteUri, pageTimeoutMs = 45_000 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var document = await daemon.JsonAsync(response);
        Assert.Equal(45_000, document.GetProperty("options").GetProperty("pageTimeoutMs").GetInt32());
    }

    [Fact]
    public async Task A_URL_over_2048_characters_is_refused()
    {
        await using var daemon = await Daemon.StartAsync();
        var response = await daemon.Client.PostAsJsonAsync("/api/page-loads", new { url = "http://127.0.0.1/" + new string('a', 2040) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await daemon.JsonAsync(response);
        Assert.Contains("2048", problem.GetProperty("errors").GetProperty("url")[0].GetString());
    }

    [Theory]
    [InlineData("GET", "/api/page-loads/999")]
    [InlineData("GET", "/api/page-loads/999/events")]
    [InlineData("DELETE", "/api/page-loads/999")]
    [InlineData("GET", "/api/comparisons/999")]
    public async Task An_unknown_id_gets_404_problem(string method, string path)
    {
        await using var daemon = await Daemon.StartAsync();
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "DELETE")
            request.Content = Daemon.EmptyJson();
        var response = await daemon.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Delete_removes_a_load()
    {
        await using var site = Site();
        await using var daemon = await Daemon.StartAsync();
        var created = await daemon.JsonAsync(await daemon.Client.PostAsJsonAsync("/api/page-loads", new { url = site.Url("/").AbsoluteUri }));
        var id = created.GetProperty("id").GetInt64();

        Assert.Equal(HttpStatusCode.NoContent, (await daemon.DeleteAsync($"/api/page-loads/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await daemon.Client.GetAsync($"/api/page-loads/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_restart_keeps_every_page_load()
    {
        await using var site = Site();
        var database = Daemon.NewDatabasePath();
        string before;
        long id;
        await using (var first = await Daemon.StartAsync(database))
        {
            var response = await first.Client.PostAsJsonAsync("/api/page-loads", new { url = site.Url("/").AbsoluteUri });
            before = await response.Content.ReadAsStringAsync();
            id = JsonDocument.Parse(before).RootElement.GetProperty("id").GetInt64();
        }

        await using var second = await Daemon.StartAsync(database);
        Assert.Equal(before, await second.Client.GetStringAsync($"/api/page-loads/{id}"));
    }

    [Fact]
    public async Task Twenty_concurrent_posts_are_all_stored()
    {
        await using var site = Site();
        await using var daemon = await Daemon.StartAsync();
        var posts = Enumerable.Range(0, 20).Select(_ => daemon.Client.PostAsJsonAsync("/api/page-loads", new { url = site.Url("/").AbsoluteUri })).ToList();
        var responses = await Task.WhenAll(posts);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var ids = new HashSet<long>();
        foreach (var response in responses)
            ids.Add((await daemon.JsonAsync(response)).GetProperty("id").GetInt64());
        Assert.Equal(20, ids.Count);
        var list = await daemon.JsonAsync(await daemon.Client.GetAsync("/api/page-loads?limit=100"));
        Assert.Equal(20, list.GetProperty("items").GetArrayLength());
        Assert.All(list.GetProperty("items").EnumerateArray(), i => Assert.Equal("completed", i.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Past_the_queue_limit_the_API_answers_503_with_Retry_After()
    {
        await using var site = Site(imageDelay: TimeSpan.FromSeconds(2));
        await using var daemon = await Daemon.StartAsync(configure: o => { o.MaxConcurrentLoads = 1; o.MaxQueuedLoads = 0; });

        var first = await daemon.Client.PostAsJsonAsync("/api/page-loads?wait=false", new { url = site.Url("/").AbsoluteUri });
        var second = await daemon.Client.PostAsJsonAsync("/api/page-loads?wait=false", new { url = site.Url("/").AbsoluteUri });

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.NotNull(second.Headers.RetryAfter);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_load_left_running_by_a_crash_is_failed_at_the_next_start()
    {
        var database = Daemon.NewDatabasePath();
        var stores = FetchAgent.Storage.StorageFactory.Create(database);
        await stores.Database.MigrateAsync();
        var id = await stores.PageLoads.StartAsync("http://127.0.0.1:1/", new FetchAgent.Engine.Model.LoadOptions(), DateTimeOffset.UtcNow);

        await using var daemon = await Daemon.StartAsync(database);
        var document = await daemon.JsonAsync(await daemon.Client.GetAsync($"/api/page-loads/{id}"));
        Assert.Equal("failed", document.GetProperty("status").GetString());
        Assert.Equal("daemon stopped while the load was running", document.GetProperty("error").GetString());
    }
}
