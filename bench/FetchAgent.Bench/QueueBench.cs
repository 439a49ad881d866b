using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using FetchAgent.TestServers;
using Npgsql;

namespace FetchAgent.Bench;

/// <summary>
/// Issue 17: the work queue's throughput. Real agents (<c>dotnet FetchAgent.dll serve</c>, each its own process) on
/// one PostgreSQL database take N loads of a small loopback page queued with <c>POST ?wait=false</c>; the bench
/// measures loads per second from the first POST to the last load stored, and each load's queue latency: from its
/// POST leaving the client to the load's own <c>startedAt</c> (the agent's clock, the same machine's), which holds
/// the POST, the notification, the take and the wait for a turn.
/// </summary>
public static class QueueBench
{
    public const string Usage = """
        usage: FetchAgent.Bench queue --postgres CONNSTRING [--agents 3] [--loads 200] [--max-concurrent-loads 2]

        Starts --agents agents (dotnet src/FetchAgent/bin/Release/net10.0/FetchAgent.dll serve; build Release first)
        on a fresh database in the PostgreSQL server CONNSTRING names (created and dropped), loads a 4-object loopback
        page once on each (warm-up, not counted), then POSTs --loads loads with ?wait=false, round-robin over the
        agents, one after another, and waits until every one is stored. Prints loads/s (first POST to last stored,
        polled every 20 ms), queue latency (POST sent, and its 202 read, to the load's startedAt) median, p95 and
        max, the POSTs' own time, the loads each agent ran, and the loads' actualMs.

          --postgres CS              an Npgsql connection string whose user may CREATE DATABASE (required)
          --agents N                 agents, 1..8 (default 3)
          --loads N                  queued loads measured, 1..10000 (default 200)
          --max-concurrent-loads N   each agent's FetchAgent:MaxConcurrentLoads, 1..64 (default 2)

        exit codes: 0 measured, 1 a load did not complete, 2 bad arguments
        """;

    public sealed record Options(string Postgres, int Agents = 3, int Loads = 200, int MaxConcurrentLoads = 2);

    public sealed record Report(Options Options, double WallS, IReadOnlyList<double> QueueLatencyMs, IReadOnlyList<double> AfterAnswerMs, IReadOnlyList<double> PostMs, IReadOnlyList<double> ActualMs, IReadOnlyDictionary<string, int> RanBy, string ServerVersion);

    public static Options? Parse(IReadOnlyList<string> args, out string? error, out bool help)
    {
        var options = BenchArguments.Parse(args, new Options(""),
        [
            BenchArguments.Text<Options>("--postgres", (o, v) => o with { Postgres = v }),
            BenchArguments.Int<Options>("--agents", 1, 8, (o, v) => o with { Agents = v }),
            BenchArguments.Int<Options>("--loads", 1, 10_000, (o, v) => o with { Loads = v }),
            BenchArguments.Int<Options>("--max-concurrent-loads", 1, 64, (o, v) => o with { MaxConcurrentLoads = v }),
        ], out error, out help);
        if (options is not null && string.IsNullOrEmpty(options.Postgres))
        {
            error = "--postgres: a PostgreSQL connection string is required";
            return null;
        }

        return options;
    }

    public static async Task<Report> RunAsync(Options options, TextWriter progress)
    {
        var name = await PostgresStorageBench.CreateDatabaseAsync(options.Postgres);
        var database = new NpgsqlConnectionStringBuilder(options.Postgres) { Database = name }.ConnectionString;
        var agents = new List<Agent>();
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Html("<link rel=stylesheet href=/s.css><img src=/a.png><img src=/b.png>"))
            .Add("/s.css", SiteResource.Css("body{}"))
            .Add("/a.png", SiteResource.Image(2000))
            .Add("/b.png", SiteResource.Image(2000));
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        try
        {
            for (var i = 1; i <= options.Agents; i++)
                agents.Add(Agent.Start($"agent-{i}", database, options.MaxConcurrentLoads));
            foreach (var agent in agents)
                await agent.ReadyAsync();
            progress.WriteLine($"bench: {agents.Count} agents ready; a warm-up load on each");
            var body = JsonSerializer.Serialize(new { url = site.Url("/").AbsoluteUri });
            foreach (var agent in agents)
            {
                using var warm = await PostAsync(http, $"{agent.BaseUrl}/api/page-loads", body);
                if (warm.StatusCode != HttpStatusCode.Created)
                    throw new BenchFailure($"warm-up on {agent.Name} answered {(int)warm.StatusCode}");
            }

            progress.WriteLine($"bench: queueing {options.Loads} loads");
            var sent = new Dictionary<long, DateTimeOffset>();
            var answered = new Dictionary<long, DateTimeOffset>();
            var postMs = new List<double>();
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < options.Loads; i++)
            {
                var at = DateTimeOffset.UtcNow;
                var post = Stopwatch.GetTimestamp();
                using var response = await PostAsync(http, $"{agents[i % agents.Count].BaseUrl}/api/page-loads?wait=false", body);
                postMs.Add(Stopwatch.GetElapsedTime(post).TotalMilliseconds);
                var answeredAt = DateTimeOffset.UtcNow;
                if (response.StatusCode != HttpStatusCode.Accepted)
                    throw new BenchFailure($"POST ?wait=false answered {(int)response.StatusCode}");
                var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
                sent[id] = at;
                answered[id] = answeredAt;
            }

            await using (var connection = new NpgsqlConnection(database))
            {
                await connection.OpenAsync();
                var deadline = Stopwatch.StartNew();
                while (true)
                {
                    await using var count = new NpgsqlCommand("SELECT (SELECT count(*) FROM load_queue) + (SELECT count(*) FROM page_loads WHERE status = 'running');", connection);
                    if ((long)(await count.ExecuteScalarAsync())! == 0)
                        break;
                    if (deadline.Elapsed > TimeSpan.FromMinutes(10))
                        throw new BenchFailure("the queued loads did not finish in 10 minutes");
                    await Task.Delay(20);
                }
            }

            var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var latencies = new List<double>();
            var afterAnswer = new List<double>();
            var actual = new List<double>();
            var ranBy = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (var (id, at) in sent)
            {
                var document = JsonDocument.Parse(await http.GetStringAsync($"{agents[0].BaseUrl}/api/page-loads/{id}")).RootElement;
                if (document.GetProperty("status").GetString() != "completed")
                    throw new BenchFailure($"page load {id} ended {document.GetProperty("status").GetString()}: {document.GetProperty("error")}");
                latencies.Add((document.GetProperty("startedAt").GetDateTimeOffset() - at).TotalMilliseconds);
                afterAnswer.Add((document.GetProperty("startedAt").GetDateTimeOffset() - answered[id]).TotalMilliseconds);
                actual.Add(document.GetProperty("metrics").GetProperty("actualMs").GetDouble());
                var agent = document.GetProperty("agent").GetString()!;
                ranBy[agent] = ranBy.GetValueOrDefault(agent) + 1;
            }

            await using var version = new NpgsqlConnection(database);
            await version.OpenAsync();
            return new Report(options, wall, latencies, afterAnswer, postMs, actual, ranBy, version.ServerVersion);
        }
        finally
        {
            foreach (var agent in agents)
                agent.Dispose();
            await PostgresStorageBench.DropDatabaseAsync(options.Postgres, name);
        }
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string url, string body) =>
        http.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"));

    public static void Print(TextWriter output, Report report)
    {
        var o = report.Options;
        Line(output, $"FetchAgent bench: queue");
        Line(output, $"machine: {Environment.ProcessorCount} logical cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the end; PostgreSQL {report.ServerVersion} on loopback");
        Line(output, $"{o.Agents} agents (processes), MaxConcurrentLoads {o.MaxConcurrentLoads} each; {o.Loads} loads of a 4-object loopback page, POSTed ?wait=false round-robin, one after another");
        output.WriteLine();
        Line(output, $"loads/s {o.Loads / report.WallS,8:F1}   ({o.Loads} loads in {report.WallS:F2} s, first POST to last stored)");
        Line(output, $"{"",-22} {"median",8} {"p95",8} {"max",8}");
        Line(output, $"{"queue latency ms",-22} {ResultTable.Median(report.QueueLatencyMs),8:F1} {ResultTable.Percentile(report.QueueLatencyMs, 0.95),8:F1} {report.QueueLatencyMs.Max(),8:F1}   (POST sent to the load's startedAt)");
        Line(output, $"{"  after the 202 ms",-22} {ResultTable.Median(report.AfterAnswerMs),8:F1} {ResultTable.Percentile(report.AfterAnswerMs, 0.95),8:F1} {report.AfterAnswerMs.Max(),8:F1}   (the 202 read to the load's startedAt: notification, take, turn)");
        Line(output, $"{"POST ?wait=false ms",-22} {ResultTable.Median(report.PostMs),8:F1} {ResultTable.Percentile(report.PostMs, 0.95),8:F1} {report.PostMs.Max(),8:F1}");
        Line(output, $"{"load actualMs",-22} {ResultTable.Median(report.ActualMs),8:F1} {ResultTable.Percentile(report.ActualMs, 0.95),8:F1} {report.ActualMs.Max(),8:F1}");
        Line(output, $"ran: {string.Join(", ", report.RanBy.Select(r => $"{r.Key} {r.Value}"))}");
    }

    private static void Line(TextWriter output, FormattableString text) => output.WriteLine(text.ToString(CultureInfo.InvariantCulture));

    /// <summary>One agent, a daemon process of its own on a free loopback port (<see cref="DaemonProcess"/>).</summary>
    private sealed class Agent(string name, DaemonProcess daemon) : IDisposable
    {
        public string Name { get; } = name;
        public string BaseUrl => daemon.BaseUrl;

        public static Agent Start(string name, string database, int maxConcurrentLoads)
        {
            var dll = Path.Combine(AccuracyBench.RepositoryRoot(), "src", "FetchAgent", "bin", "Release", "net10.0", "FetchAgent.dll");
            if (!File.Exists(dll))
                throw new BenchFailure($"{dll} not found: build Release first");
            return new Agent(name, DaemonProcess.Start(dll, database, new Dictionary<string, string>
            {
                ["AgentName"] = name,
                ["MaxConcurrentLoads"] = maxConcurrentLoads.ToString(CultureInfo.InvariantCulture),
            }));
        }

        public async Task ReadyAsync()
        {
            try
            {
                await daemon.ReadyAsync(TimeSpan.FromSeconds(120));
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                throw new BenchFailure($"{Name}: {e.Message}");
            }
        }

        public void Dispose() => daemon.Dispose();
    }
}
