using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using FetchAgent.Cli;
using FetchAgent.Tests.Api;
using FetchAgent.TestServers;

namespace FetchAgent.Tests.Agents;

/// <summary>
/// Issue 17, item 5: three agents, each a real daemon process, sharing one database in the real PostgreSQL cluster
/// test.sh starts: loads queued on one agent are spread over all, each run exactly once, and read from any agent.
/// </summary>
public sealed class AgentProcessesTests
{
    [Fact]
    public async Task Twenty_loads_queued_on_one_agent_are_spread_over_three_each_run_once_and_read_from_any()
    {
        var name = await TestPostgres.CreateDatabaseAsync();
        var agents = new List<AgentProcess>();
        try
        {
            // Each load holds its images 300 ms, so no one agent (two at a time) can take them all.
            await using var site = PageLoadsApiTests.Site(imageDelay: TimeSpan.FromMilliseconds(300));
            foreach (var agent in new[] { "agent-1", "agent-2", "agent-3" })
                agents.Add(AgentProcess.Start(agent, TestPostgres.ConnectionString(name)));
            foreach (var agent in agents)
                await agent.ReadyAsync();
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };

            var ids = new List<long>();
            for (var i = 0; i < 20; i++)
            {
                using var body = new StringContent(JsonSerializer.Serialize(new { url = site.Url("/").AbsoluteUri }), Encoding.UTF8, "application/json");
                using var response = await http.PostAsync($"{agents[0].BaseUrl}/api/page-loads?wait=false", body);
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
            }

            // Done when the queue is empty and no load is running (generous deadline; read every 200 ms).
            var deadline = Stopwatch.StartNew();
            while (await ScalarAsync(name, "SELECT count(*) FROM load_queue;") + await ScalarAsync(name, "SELECT count(*) FROM page_loads WHERE status = 'running';") > 0)
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(120), "the 20 queued loads did not finish in 120 s");
                await Task.Delay(200);
            }

            var ranBy = new Dictionary<string, int>();
            foreach (var id in ids)
            {
                // Read from the third agent, whichever ran it; if it ran it, it may still hold it in memory a moment
                // after writing its row (read as running until then).
                var document = await http.GetFromJsonAsync<JsonElement>($"{agents[2].BaseUrl}/api/page-loads/{id}");
                for (var retry = 0; retry < 50 && document.GetProperty("status").GetString() == "running"; retry++)
                {
                    await Task.Delay(100);
                    document = await http.GetFromJsonAsync<JsonElement>($"{agents[2].BaseUrl}/api/page-loads/{id}");
                }

                Assert.True(document.GetProperty("status").GetString() == "completed", document.ToString());
                Assert.Equal(4, document.GetProperty("objects").GetArrayLength());
                var agent = document.GetProperty("agent").GetString()!;
                ranBy[agent] = ranBy.GetValueOrDefault(agent) + 1;
            }

            Assert.Equal(["agent-1", "agent-2", "agent-3"], ranBy.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(20, ranBy.Values.Sum());
            Assert.Equal(20, await ScalarAsync(name, "SELECT count(*) FROM page_loads;"));
            // Exactly once: the site saw each load's document requested once, 20 in all.
            Assert.Equal(20, site.Requests.Count(r => r.Target == "/"));
        }
        finally
        {
            foreach (var agent in agents)
                agent.Dispose();
            await TestPostgres.DropDatabaseAsync(name);
        }
    }

    [Fact]
    public async Task A_load_whose_agent_is_killed_mid_load_is_run_again_by_another_agent_once_its_lease_runs_out()
    {
        var name = await TestPostgres.CreateDatabaseAsync();
        AgentProcess? first = null;
        AgentProcess? second = null;
        // A server that accepts and never answers: the load is mid-flight for as long as the test wants.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/";
        var accepted = new List<TcpClient>();
        try
        {
            first = AgentProcess.Start("agent-1", TestPostgres.ConnectionString(name));
            await first.ReadyAsync();
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            using var body = new StringContent(JsonSerializer.Serialize(new { url, objectTimeoutMs = 3000 }), Encoding.UTF8, "application/json");
            using var response = await http.PostAsync($"{first.BaseUrl}/api/page-loads?wait=false", body);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

            // The first agent connected: it is mid-load. SIGKILL it.
            accepted.Add(await silent.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(60)));
            first.Kill();
            Assert.Equal(1, await ScalarAsync(name, $"SELECT count(*) FROM page_loads WHERE id = {id} AND status = 'running' AND agent = 'agent-1';"));

            second = AgentProcess.Start("agent-2", TestPostgres.ConnectionString(name));
            await second.ReadyAsync();
            // Once the 3 s lease has run out, the second agent takes the load and connects again.
            accepted.Add(await silent.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(60)));
            var deadline = Stopwatch.StartNew();
            // Until the agent that runs it says it ended: it writes the row a moment before it lets go of its
            // in-memory copy, so a GET between the two still reads it running (seen on a loaded machine).
            JsonElement document;
            while ((document = await http.GetFromJsonAsync<JsonElement>($"{second.BaseUrl}/api/page-loads/{id}")).GetProperty("status").GetString() == "running")
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "the re-run load did not end in 60 s");
                await Task.Delay(200);
            }

            Assert.Equal(("failed", "agent-2", "document: timeout: no response in 3000 ms"),
                (document.GetProperty("status").GetString(), document.GetProperty("agent").GetString(), document.GetProperty("error").GetString()));
            Assert.Equal(0, await ScalarAsync(name, "SELECT count(*) FROM load_queue;"));
        }
        finally
        {
            foreach (var client in accepted)
                client.Dispose();
            first?.Dispose();
            second?.Dispose();
            await TestPostgres.DropDatabaseAsync(name);
        }
    }

    private static Task<long> ScalarAsync(string database, string sql) => AgentProcess.ScalarAsync(database, sql);
}
