using System.Text.Json;
using FetchAgent.Cli;
using FetchAgent.Storage;
using FetchAgent.TestServers;

namespace FetchAgent.Tests.Cli;

/// <summary><c>load --runs</c> and <c>compare --runs</c>: a warm-up, round-robin runs, the median run.</summary>
public sealed class RunsCommandLineTests
{
    private static StaticOrigin Site() => new StaticOrigin()
        .Add("/", SiteResource.Html("<link rel=stylesheet href=/s.css><img src=/i.png>"))
        .Add("/s.css", SiteResource.Css("body{}"))
        .Add("/i.png", SiteResource.Image(1234));

    private static Task<(int Exit, string Stdout, string Stderr)> Run(params string[] args) => Cli.Run(args);

    [Fact]
    public async Task Load_runs_3_json_prints_exactly_one_document_the_median_run_of_three_stored()
    {
        await using var site = Site();
        var database = Path.Combine(Directory.CreateTempSubdirectory("fetchagent-runs-").FullName, "runs.db");

        var (exit, stdout, stderr) = await Run("load", site.Url("/").AbsoluteUri, "--runs", "3", "--json", "--db", database);

        Assert.Equal(0, exit);
        // One JSON value and nothing else: JsonDocument refuses trailing content.
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("completed", json.RootElement.GetProperty("status").GetString());
        // A warm-up and three runs reached the server; only the three runs are stored.
        Assert.Equal(4, site.Requests.Count(r => r.Target == "/"));
        var store = StorageFactory.Create(database).PageLoads;
        var stored = (await store.ListAsync(new PageLoadQuery())).Items;
        Assert.Equal(3, stored.Count);
        // The printed document is the stored run whose actualMs is the median.
        var median = stored.OrderBy(s => s.ActualMs).ElementAt(1);
        Assert.Equal(median.Id, json.RootElement.GetProperty("id").GetInt64());
        Assert.Equal(median.ActualMs, json.RootElement.GetProperty("metrics").GetProperty("actualMs").GetDouble());
        Assert.Contains("3 runs of persistent after a warm-up load (not counted)", stderr, StringComparison.Ordinal);
        Assert.Contains($"page load {median.Id}", stderr.Split('\n').Single(l => l.TrimStart().StartsWith('*')), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("11")]
    [InlineData("three")]
    public async Task Runs_out_of_range_exit_2(string runs)
    {
        var (exit, stdout, stderr) = await Run("load", "http://127.0.0.1/", "--runs", runs);

        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.Contains("--runs", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_runs_warms_up_then_alternates_strategies_and_summarises_each_by_its_median_run()
    {
        await using var site = Site();

        var (exit, stdout, _) = await Run("compare", site.Url("/").AbsoluteUri, "--strategies", "serial,persistent", "--runs", "2", "--json");

        Assert.Equal(0, exit);
        Assert.Equal(["serial", "serial", "persistent", "serial", "persistent"],
            site.Requests.Where(r => r.Target == "/").Select(r => r.Header("Connection") == "close" ? "serial" : "persistent"));
        using var json = JsonDocument.Parse(stdout);
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["serial:1", "persistent:1", "serial:2", "persistent:2"], rows.Select(r => $"{r.GetProperty("strategy").GetString()}:{r.GetProperty("run").GetInt32()}"));
        foreach (var summary in json.RootElement.GetProperty("summary").EnumerateArray())
        {
            var strategy = summary.GetProperty("strategy").GetString();
            var actual = rows.Where(r => r.GetProperty("strategy").GetString() == strategy).Select(r => r.GetProperty("actualMs").GetDouble()).ToList();
            var lowerMiddle = actual.IndexOf(actual.Min());
            Assert.Equal(2, summary.GetProperty("runs").GetInt32());
            Assert.Equal(JsonValueKind.Null, summary.GetProperty("medianPageLoadId").ValueKind);
            Assert.Equal(lowerMiddle + 1, summary.GetProperty("medianRun").GetInt32());
            Assert.Equal(actual.Min(), summary.GetProperty("medianActualMs").GetDouble());
            Assert.Equal(actual.Min(), summary.GetProperty("minActualMs").GetDouble());
            Assert.Equal(actual.Max(), summary.GetProperty("maxActualMs").GetDouble());
        }
    }
}
