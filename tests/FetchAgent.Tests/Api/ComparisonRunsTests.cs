using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;

namespace FetchAgent.Tests.Api;

/// <summary>
/// Item 5 of issue 7 through the REST API: one unrecorded warm-up load, then the strategies round-robin
/// run by run, and a summary per strategy whose figures are exactly those of the stored loads.
/// </summary>
public sealed class ComparisonRunsTests
{
    private static async Task<long> StoredLoadsAsync(Daemon daemon)
    {
        await using var connection = new SqliteConnection($"Data Source={daemon.DatabasePath}");
        await connection.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM page_loads;");
    }

    [Fact]
    public async Task A_warm_up_load_runs_first_and_is_stored_nowhere_then_the_strategies_alternate_run_by_run()
    {
        await using var site = PageLoadsApiTests.Site();
        await using var daemon = await Daemon.StartAsync();
        Assert.Equal(0, await StoredLoadsAsync(daemon));

        var response = await daemon.Client.PostAsJsonAsync("/api/comparisons",
            new { url = site.Url("/").AbsoluteUri, strategies = new[] { "serial", "persistent" }, runs = 2, maxConnectionsPerHost = 1 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var comparison = await daemon.JsonAsync(response);

        // The wire tells the strategies apart: serial asks for Connection: close on every request.
        var documentRequests = site.Requests.Where(r => r.Target == "/").Select(r => r.Header("Connection") == "close" ? "serial" : "persistent").ToList();
        Assert.Equal(["serial", "serial", "persistent", "serial", "persistent"], documentRequests);

        // Exactly runs × strategies loads are stored, all of them the comparison's rows: the warm-up is in none.
        Assert.Equal(4, await StoredLoadsAsync(daemon));
        var rows = comparison.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["serial", "persistent", "serial", "persistent"], rows.Select(r => r.GetProperty("strategy").GetString()));
        var list = await daemon.JsonAsync(await daemon.Client.GetAsync("/api/page-loads"));
        Assert.Equal(
            rows.Select(r => r.GetProperty("pageLoadId").GetInt64()).Order(),
            list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).Order());

        // And the stored loads started in row order.
        var started = new List<DateTimeOffset>();
        foreach (var row in rows)
            started.Add((await daemon.JsonAsync(await daemon.Client.GetAsync($"/api/page-loads/{row.GetProperty("pageLoadId")}"))).GetProperty("startedAt").GetDateTimeOffset());
        Assert.Equal(started.Order(), started);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(2)]
    public async Task The_summary_is_the_median_run_and_spread_of_the_stored_loads(int runs)
    {
        await using var site = PageLoadsApiTests.Site();
        await using var daemon = await Daemon.StartAsync();
        string[] strategies = ["parallel", "persistent"];

        var response = await daemon.Client.PostAsJsonAsync("/api/comparisons", new { url = site.Url("/").AbsoluteUri, strategies, runs });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var posted = await response.Content.ReadAsStringAsync();
        var comparison = JsonDocument.Parse(posted).RootElement;
        var summary = comparison.GetProperty("summary").EnumerateArray().ToList();

        Assert.Equal(strategies, summary.Select(s => s.GetProperty("strategy").GetString()));
        foreach (var strategy in strategies)
        {
            var loads = new List<(int Run, long Id, double Perceived, double Actual)>();
            var run = 0;
            foreach (var row in comparison.GetProperty("rows").EnumerateArray().Where(r => r.GetProperty("strategy").GetString() == strategy))
            {
                var id = row.GetProperty("pageLoadId").GetInt64();
                var document = await daemon.JsonAsync(await daemon.Client.GetAsync($"/api/page-loads/{id}"));
                Assert.Equal("completed", document.GetProperty("status").GetString());
                var metrics = document.GetProperty("metrics");
                loads.Add((++run, id, metrics.GetProperty("perceivedMs").GetDouble(), metrics.GetProperty("actualMs").GetDouble()));
            }

            // WebPageTest's median run: by actualMs, the lower middle one for an even count.
            var byActual = loads.OrderBy(l => l.Actual).ThenBy(l => l.Run).ToList();
            var median = byActual[(runs - 1) / 2];
            var perceived = loads.Select(l => l.Perceived).Order().ToList();
            var s = summary.Single(x => x.GetProperty("strategy").GetString() == strategy);
            Assert.Equal(runs, s.GetProperty("runs").GetInt32());
            Assert.Equal(median.Id, s.GetProperty("medianPageLoadId").GetInt64());
            Assert.Equal(median.Run, s.GetProperty("medianRun").GetInt32());
            Assert.Equal(median.Actual, s.GetProperty("medianActualMs").GetDouble());
            Assert.Equal(perceived[(runs - 1) / 2], s.GetProperty("medianPerceivedMs").GetDouble());
            Assert.Equal(byActual[0].Actual, s.GetProperty("minActualMs").GetDouble());
            Assert.Equal(byActual[^1].Actual, s.GetProperty("maxActualMs").GetDouble());
            Assert.Equal(perceived[0], s.GetProperty("minPerceivedMs").GetDouble());
            Assert.Equal(perceived[^1], s.GetProperty("maxPerceivedMs").GetDouble());
        }

        // Computed when read: the same object comes back.
        Assert.Equal(posted, await daemon.Client.GetStringAsync(response.Headers.Location));
    }
}
