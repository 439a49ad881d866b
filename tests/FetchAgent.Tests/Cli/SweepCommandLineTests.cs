using System.Text.Json;
using FetchAgent.TestServers;

namespace FetchAgent.Tests.Cli;

/// <summary><c>compare URL --max-connections-per-host 1,2,4</c> and <c>--pipeline-depth 1,2</c>: a sweep in one call.</summary>
public sealed class SweepCommandLineTests
{
    private static StaticOrigin Site() => new StaticOrigin()
        .Add("/", SiteResource.Html("<img src=/a.png><img src=/b.png><img src=/c.png>"))
        .Add("/a.png", SiteResource.Image(2000))
        .Add("/b.png", SiteResource.Image(2000))
        .Add("/c.png", SiteResource.Image(2000));

    [Fact]
    public async Task A_comma_list_sweeps_connections_per_host_for_every_strategy()
    {
        await using var site = Site();
        var (exit, stdout, stderr) = await Cli.Run("compare", site.Url("/").AbsoluteUri, "--strategies", "parallel,persistent", "--max-connections-per-host=1,2,4", "--json");

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("maxConnectionsPerHost", root.GetProperty("sweep").GetProperty("option").GetString());
        var rows = root.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["parallel@1", "persistent@1", "parallel@2", "persistent@2", "parallel@4", "persistent@4"],
            rows.Select(r => $"{r.GetProperty("strategy").GetString()}@{r.GetProperty("sweepValue").GetInt32()}"));
        Assert.All(rows, r => Assert.Equal(r.GetProperty("sweepValue").GetInt32(), r.GetProperty("document").GetProperty("options").GetProperty("maxConnectionsPerHost").GetInt32()));
        Assert.Equal(6, root.GetProperty("summary").GetArrayLength());
        // One connection per host: persistent reuses it for all four objects.
        Assert.Equal(1, rows[1].GetProperty("document").GetProperty("metrics").GetProperty("connectionCount").GetInt32());
    }

    [Fact]
    public async Task The_table_names_each_strategy_with_its_value()
    {
        await using var site = Site();
        var (exit, stdout, stderr) = await Cli.Run("compare", site.Url("/").AbsoluteUri, "--strategies", "pipelined", "--pipeline-depth", "1,2", "--no-color");

        Assert.True(exit == 0, stderr);
        Assert.Contains("pipelined, depth 1", stdout, StringComparison.Ordinal);
        Assert.Contains("pipelined, depth 2", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("load", "--max-connections-per-host", "1,2", "only compare sweeps")]
    [InlineData("compare", "--max-connections-per-host", "1,0", "--max-connections-per-host 0")]
    [InlineData("compare", "--pipeline-depth", "2,2", "different values")]
    public async Task A_bad_sweep_exits_2_naming_the_option(string command, string option, string values, string message)
    {
        var (exit, _, stderr) = await Cli.Run(command, "http://127.0.0.1:1/", "--strategies", "persistent", option, values);
        Assert.Equal(2, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }
}
