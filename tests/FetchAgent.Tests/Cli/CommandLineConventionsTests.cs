using System.Text.Json;
using FetchAgent.Cli;
using FetchAgent.TestServers;

namespace FetchAgent.Tests.Cli;

/// <summary>Conventions users bring from curl and other CLIs: help, version, --name=value, performance budgets (issue 14).</summary>
public sealed class CommandLineConventionsTests
{
    private static Task<(int Exit, string Stdout, string Stderr)> Run(params string[] args) => Cli.Run(args);

    private static StaticOrigin Site() => new StaticOrigin()
        .Add("/", SiteResource.Html("<img src=/a.png><img src=/b.png>"))
        .Add("/a.png", SiteResource.Image(3000))
        .Add("/b.png", SiteResource.Image(4000));

    [Theory]
    [InlineData("fetchagent serve", "--help")]
    [InlineData("fetchagent serve", "-h")]
    [InlineData("fetchagent load", "load", "--help")]
    [InlineData("fetchagent load", "load", "http://127.0.0.1/", "-h")]
    [InlineData("fetchagent compare", "compare", "--help")]
    [InlineData("fetchagent serve", "serve", "--help")]
    [InlineData("fetchagent load", "help", "load")]
    public async Task Help_prints_usage_on_stdout_and_exits_0(string expected, params string[] args)
    {
        var (exit, stdout, stderr) = await Run(args);

        Assert.Equal(0, exit);
        Assert.Contains(expected, stdout);
        Assert.Empty(stderr);
    }

    [Fact]
    public async Task Help_for_one_command_shows_that_command_and_not_the_others()
    {
        var (_, stdout, _) = await Run("load", "--help");
        Assert.Contains("--budget", stdout);
        Assert.DoesNotContain("fetchagent serve", stdout);
    }

    [Theory]
    [InlineData("--version")]
    [InlineData("-V")]
    public async Task Version_prints_the_product_version(string flag)
    {
        var (exit, stdout, _) = await Run(flag);

        Assert.Equal(0, exit);
        Assert.Equal($"fetchagent {CommandLine.Version}", stdout.Trim());
        Assert.Matches(@"^\d+\.\d+\.\d+$", CommandLine.Version);
    }

    [Fact]
    public async Task An_option_takes_its_value_after_an_equals_sign_too()
    {
        await using var site = Site();
        var (exit, stdout, _) = await Run("load", site.Url("/").AbsoluteUri, "--json", "--strategy=serial", "--max-connections-per-host=1");

        Assert.Equal(0, exit);
        var options = JsonDocument.Parse(stdout).RootElement.GetProperty("options");
        Assert.Equal(("serial", 1), (options.GetProperty("strategy").GetString(), options.GetProperty("maxConnectionsPerHost").GetInt32()));
    }

    [Fact]
    public async Task A_budget_that_is_exceeded_exits_3_and_names_each_metric_over_it()
    {
        await using var site = Site();
        // 3 objects and 7000+ body bytes: objects and bytes are over, actualMs (60 s) is not.
        var (exit, stdout, stderr) = await Run("load", site.Url("/").AbsoluteUri, "--json", "--budget", "objects=2,bytes=5000,actualMs=60000");

        Assert.Equal(3, exit);
        var document = JsonDocument.Parse(stdout).RootElement; // the document is still printed
        var bytes = document.GetProperty("metrics").GetProperty("bytes").GetInt64();
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains("budget", StringComparison.Ordinal)).ToList();
        Assert.Equal(["fetchagent: budget exceeded: objects 3 > 2", $"fetchagent: budget exceeded: bytes {bytes} > 5000"], lines);
    }

    [Fact]
    public async Task A_budget_the_load_keeps_exits_0()
    {
        await using var site = Site();
        var (exit, _, stderr) = await Run("load", site.Url("/").AbsoluteUri, "--json", "--budget=objects=3,bytes=100000");

        Assert.Equal(0, exit);
        Assert.DoesNotContain("budget", stderr);
    }

    [Theory]
    [InlineData("--budget: unknown metric 'speed'", "speed=3")]
    [InlineData("--budget: 'objects=many' must be metric=limit", "objects=many")]
    [InlineData("--budget: 'bytes' must be metric=limit", "bytes")]
    public async Task A_malformed_budget_is_a_usage_error(string reason, string budget)
    {
        var (exit, _, stderr) = await Run("load", "http://127.0.0.1/", "--budget", budget);

        Assert.Equal(2, exit);
        Assert.Contains(reason, stderr);
    }
}
