using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FetchAgent.TestServers;

namespace FetchAgent.Tests.Agents;

/// <summary>
/// Issue 17: <c>/events</c> on one agent follows a load that another agent runs, through PostgreSQL's
/// <c>LISTEN/NOTIFY</c> and the <c>live_objects</c> table, and a <c>DELETE</c> on one agent stops the load another
/// runs; agents are real daemon processes on the real cluster.
/// </summary>
public sealed class LiveProgressProcessesTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Long enough that the re-run's renewals (every third of it) keep it while the freshly started agent pays its
    /// start-up on a loaded 2-core machine (at 6 s, one run beside the other tests ended failed with no object of a
    /// re-run, as a lost lease on attempt 2 of 2 ends), short enough that the killed agent's lease runs out soon.
    /// </summary>
    private const int LeaseSeconds = 10;

    /// <summary>A document at once; its stylesheet and two images after <paramref name="delay"/>, so the load is mid-way for that long.</summary>
    private static StaticOrigin Site(TimeSpan delay) => new StaticOrigin()
        .Add("/", SiteResource.Html("<link rel=stylesheet href=/s.css><img src=/a.png><img src=/b.png>"))
        .Add("/s.css", SiteResource.Css("body{}") with { Delay = delay })
        .Add("/a.png", SiteResource.Image(500) with { Delay = delay })
        .Add("/b.png", SiteResource.Image(700) with { Delay = delay });

    [Fact]
    public async Task Events_on_another_agent_stream_a_queued_loads_objects_as_they_finish_in_the_running_agents_order_then_done()
    {
        await using var site = Site(TimeSpan.FromMilliseconds(3000));
        await using var agents = await TwoAgents.StartAsync();
        var (a, b, http, name) = (agents.A, agents.B, agents.Http, agents.Database);

        // Posted to B, for A: B only ever sees it through the database.
        var id = await QueueAsync(http, b, site, agent: "agent-a");
        await using var fromB = await SseStream.OpenAsync(http, $"{b.BaseUrl}/api/page-loads/{id}/events");
        var first = await fromB.NextAsync();
        Assert.Equal("object", first.Name);
        // It came while the load ran on A, not from the stored document afterwards.
        Assert.Equal(1, await AgentProcess.ScalarAsync(name, $"SELECT count(*) FROM page_loads WHERE id = {id} AND status = 'running' AND agent = 'agent-a';"));

        // A's own stream, in process: it replays the objects finished so far in the order they finished, then the rest.
        await using var fromA = await SseStream.OpenAsync(http, $"{a.BaseUrl}/api/page-loads/{id}/events");
        var onA = await fromA.ToEndAsync();
        var onB = new List<SseEvent> { first };
        onB.AddRange(await fromB.ToEndAsync());

        Assert.Equal(["object", "object", "object", "object", "done"], onB.Select(e => e.Name));
        // The same objects, in the same order, to the byte; the same end.
        Assert.Equal(onA, onB);
        var done = JsonDocument.Parse(onB[^1].Data).RootElement;
        Assert.Equal((id, "completed"), (done.GetProperty("id").GetInt64(), done.GetProperty("status").GetString()));
        var stored = await http.GetFromJsonAsync<JsonElement>($"{b.BaseUrl}/api/page-loads/{id}");
        Assert.Equal(("agent-a", 4), (stored.GetProperty("agent").GetString(), stored.GetProperty("objects").GetArrayLength()));
        Assert.Equal(
            stored.GetProperty("objects").EnumerateArray().Select(o => o.GetProperty("id").GetInt32()).Order(),
            onB.Take(4).Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("id").GetInt32()).Order());
        // Its rows went once it was stored: the stored document holds the objects now.
        Assert.Equal(0, await AgentProcess.ScalarAsync(name, "SELECT count(*) FROM live_objects;"));
    }

    [Fact]
    public async Task When_the_listening_sessions_are_ended_mid_load_the_stream_says_resumed_and_still_ends_with_every_object_then_done()
    {
        await using var site = Site(TimeSpan.FromMilliseconds(4000));
        await using var agents = await TwoAgents.StartAsync();
        var (_, b, http, name) = (agents.A, agents.B, agents.Http, agents.Database);

        var id = await QueueAsync(http, b, site, agent: "agent-a");
        await using var fromB = await SseStream.OpenAsync(http, $"{b.BaseUrl}/api/page-loads/{id}/events");
        Assert.Equal("object", (await fromB.NextAsync()).Name);
        // As an administrator (or a server restart) would: every agent's listening session is ended.
        Assert.Equal(2, await AgentProcess.ScalarAsync(name,
            $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '{name}' AND application_name = 'fetchagent-listen';"));

        var rest = await fromB.ToEndAsync();
        Assert.True(rest.Select(e => e.Name).SequenceEqual(["resumed", "object", "object", "object", "done"]), Describe(rest));
        Assert.Equal("completed", JsonDocument.Parse(rest[^1].Data).RootElement.GetProperty("status").GetString());
        // Both agents listen again: a session each.
        Assert.Equal(2, await AgentProcess.ScalarAsync(name,
            $"SELECT count(*) FROM pg_stat_activity WHERE datname = '{name}' AND application_name = 'fetchagent-listen';"));
    }

    [Fact]
    public async Task When_the_running_agent_is_killed_and_restarted_mid_load_the_stream_says_restart_and_follows_the_rerun_to_done()
    {
        await using var site = Site(TimeSpan.FromMilliseconds(6000));
        await using var agents = await TwoAgents.StartAsync(LeaseSeconds);
        var (_, b, http, _) = (agents.A, agents.B, agents.Http, agents.Database);

        var id = await QueueAsync(http, b, site, agent: "agent-a");
        await using var fromB = await SseStream.OpenAsync(http, $"{b.BaseUrl}/api/page-loads/{id}/events");
        Assert.Equal("object", (await fromB.NextAsync()).Name);
        // SIGKILL mid-load (the stylesheet and images are 6 s away), then agent-a again: once the dead one's lease
        // has run out, it takes the load a second time.
        await agents.KillAndRestartAAsync();

        var rest = await fromB.ToEndAsync();
        Assert.True(rest.Select(e => e.Name).SequenceEqual(["restart", "object", "object", "object", "object", "done"]),
            Describe(rest) + "\nstored: " + await http.GetStringAsync($"{b.BaseUrl}/api/page-loads/{id}"));
        var restart = JsonDocument.Parse(rest[0].Data).RootElement;
        Assert.Equal((id, 2, "agent-a"), (restart.GetProperty("id").GetInt64(), restart.GetProperty("attempt").GetInt32(), restart.GetProperty("agent").GetString()));
        Assert.Equal("completed", JsonDocument.Parse(rest[^1].Data).RootElement.GetProperty("status").GetString());
        // The site saw the document twice: once per attempt.
        Assert.Equal(2, site.Requests.Count(r => r.Target == "/"));
    }

    [Fact]
    public async Task Delete_on_another_agent_stops_the_running_load_there_stores_nothing_and_ends_its_followers_with_interrupted()
    {
        // The stylesheet and images take 30 s: a load still running well after the DELETE has been answered.
        await using var site = Site(TimeSpan.FromSeconds(30));
        await using var agents = await TwoAgents.StartAsync();
        var (a, b, http, name) = (agents.A, agents.B, agents.Http, agents.Database);

        var id = await QueueAsync(http, b, site, agent: "agent-a");
        await using var fromB = await SseStream.OpenAsync(http, $"{b.BaseUrl}/api/page-loads/{id}/events");
        Assert.Equal("object", (await fromB.NextAsync()).Name);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"{a.BaseUrl}/api/page-loads/{id}")).StatusCode);

        using (var deleted = await DeleteAsync(http, $"{b.BaseUrl}/api/page-loads/{id}"))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        // Gone at once from the database: the load, its queue row, its live progress.
        Assert.Equal(0, await AgentProcess.ScalarAsync(name,
            $"SELECT (SELECT count(*) FROM page_loads WHERE id = {id}) + (SELECT count(*) FROM load_queue) + (SELECT count(*) FROM live_objects);"));
        var rest = await fromB.ToEndAsync();
        Assert.True(rest.Select(e => e.Name).SequenceEqual(["interrupted"]), Describe(rest));
        Assert.Equal($"page load {id} was deleted while it ran", JsonDocument.Parse(rest[0].Data).RootElement.GetProperty("reason").GetString());

        // A stopped it long before its 30 s objects could have arrived: it no longer has it, and stored nothing.
        var stopped = System.Diagnostics.Stopwatch.StartNew();
        while ((await http.GetAsync($"{a.BaseUrl}/api/page-loads/{id}")).StatusCode != HttpStatusCode.NotFound)
        {
            Assert.True(stopped.Elapsed < TimeSpan.FromSeconds(20), "agent-a still runs the deleted load after 20 s");
            await Task.Delay(100);
        }

        Assert.Equal(0, await AgentProcess.ScalarAsync(name, "SELECT count(*) FROM page_loads;"));

        // Queued for an agent that never comes: deleted before any agent took it.
        var waiting = await QueueAsync(http, b, site, agent: "agent-z");
        using (var deleted = await DeleteAsync(http, $"{a.BaseUrl}/api/page-loads/{waiting}"))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(0, await AgentProcess.ScalarAsync(name, "SELECT (SELECT count(*) FROM page_loads) + (SELECT count(*) FROM load_queue);"));
        Assert.Equal(HttpStatusCode.NotFound, (await DeleteAsync(http, $"{a.BaseUrl}/api/page-loads/{waiting}")).StatusCode);
    }

    /// <summary>
    /// Agents A and B as real daemon processes on a database of their own, and a client with no timeout of its own (the
    /// event streams' reads have the deadline); disposed, both agents stop and the database is dropped.
    /// </summary>
    private sealed class TwoAgents : IAsyncDisposable
    {
        private readonly int _leaseSeconds;

        private TwoAgents(string database, AgentProcess a, AgentProcess b, int leaseSeconds)
        {
            (Database, A, B, _leaseSeconds) = (database, a, b, leaseSeconds);
        }

        public string Database { get; }
        public AgentProcess A { get; private set; }
        public AgentProcess B { get; }
        public HttpClient Http { get; } = new() { Timeout = Timeout.InfiniteTimeSpan };

        public static async Task<TwoAgents> StartAsync(int leaseSeconds = 3)
        {
            var database = await TestPostgres.CreateDatabaseAsync();
            AgentProcess? a = null;
            AgentProcess? b = null;
            try
            {
                a = AgentProcess.Start("agent-a", TestPostgres.ConnectionString(database), leaseSeconds);
                b = AgentProcess.Start("agent-b", TestPostgres.ConnectionString(database), leaseSeconds);
                await Task.WhenAll(a.ReadyAsync(), b.ReadyAsync());
                return new TwoAgents(database, a, b, leaseSeconds);
            }
            catch
            {
                a?.Dispose();
                b?.Dispose();
                await TestPostgres.DropDatabaseAsync(database);
                throw;
            }
        }

        /// <summary>SIGKILL of agent A, then agent A started again on the same database, ready.</summary>
        public async Task<AgentProcess> KillAndRestartAAsync()
        {
            A.Kill();
            A.Dispose();
            A = AgentProcess.Start("agent-a", TestPostgres.ConnectionString(Database), _leaseSeconds);
            await A.ReadyAsync();
            return A;
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            A.Dispose();
            B.Dispose();
            await TestPostgres.DropDatabaseAsync(Database);
        }
    }

    /// <summary>DELETE as the API takes it: with the JSON content type it asks of POST and DELETE alike.</summary>
    private static Task<HttpResponseMessage> DeleteAsync(HttpClient http, string url) =>
        http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, url) { Content = new StringContent("", Encoding.UTF8, "application/json") });

    private static async Task<long> QueueAsync(HttpClient http, AgentProcess to, StaticOrigin site, string? agent)
    {
        var body = agent is null ? JsonSerializer.Serialize(new { url = site.Url("/").AbsoluteUri }) : JsonSerializer.Serialize(new { url = site.Url("/").AbsoluteUri, agent });
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync($"{to.BaseUrl}/api/page-loads?wait=false", content);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    private static string Describe(IEnumerable<SseEvent> events) => string.Join("\n", events.Select(e => $"{e.Name}: {(e.Name == "object" ? e.Data[..Math.Min(80, e.Data.Length)] : e.Data)}"));

    private sealed record SseEvent(string Name, string Data);

    /// <summary>A server-sent event stream read event by event, each within the deadline.</summary>
    private sealed class SseStream : IAsyncDisposable
    {
        private readonly HttpResponseMessage _response;
        private readonly StreamReader _reader;

        private SseStream(HttpResponseMessage response, StreamReader reader)
        {
            _response = response;
            _reader = reader;
        }

        public static async Task<SseStream> OpenAsync(HttpClient http, string url)
        {
            var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
            return new SseStream(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
        }

        /// <summary>The next event; null at the stream's end.</summary>
        public async Task<SseEvent?> TryNextAsync()
        {
            string? name = null;
            var data = new StringBuilder();
            while (await _reader.ReadLineAsync().WaitAsync(Deadline) is { } line)
            {
                if (line.Length == 0)
                {
                    if (name is not null)
                        return new SseEvent(name, data.ToString());
                    continue;
                }

                if (line.StartsWith("event: ", StringComparison.Ordinal))
                    name = line["event: ".Length..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                    data.Append(line["data: ".Length..]);
            }

            return null;
        }

        public async Task<SseEvent> NextAsync() => await TryNextAsync() ?? throw new InvalidOperationException("the event stream ended");

        /// <summary>Every event left, until the server ends the stream.</summary>
        public async Task<List<SseEvent>> ToEndAsync()
        {
            var events = new List<SseEvent>();
            while (await TryNextAsync() is { } next)
                events.Add(next);
            return events;
        }

        public ValueTask DisposeAsync()
        {
            _reader.Dispose();
            _response.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
