using System.Diagnostics;
using System.Text.Json;
using FetchAgent.Cli;
using FetchAgent.TestServers;

namespace FetchAgent.Tests.Cli;

/// <summary>The command line as a user runs it: exit codes, stdout that is exactly the document, one-line errors.</summary>
public sealed class CommandLineTests
{
    private static StaticOrigin Site() => new StaticOrigin()
        .Add("/", SiteResource.Html("<link rel=stylesheet href=/s.css><script src=/a.js></script><img src=/i.png>"))
        .Add("/s.css", SiteResource.Css("body{}"))
        .Add("/a.js", SiteResource.Script("1"))
        .Add("/i.png", SiteResource.Image(1234));

    private static Task<(int Exit, string Stdout, string Stderr)> Run(params string[] args) => Cli.Run(args);

    [Fact]
    public async Task Load_json_prints_the_contract_document()
    {
        await using var site = Site();
        var (exit, stdout, _) = await Run("load", site.Url("/").AbsoluteUri, "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        foreach (var key in new[] { "id", "url", "finalUrl", "startedAt", "status", "error", "options", "metrics", "visualProgress", "objects", "connections" })
            Assert.True(root.TryGetProperty(key, out _), $"missing {key}");
        Assert.Equal("completed", root.GetProperty("status").GetString());
        Assert.Equal("persistent", root.GetProperty("options").GetProperty("strategy").GetString());
        foreach (var key in new[] { "ttfbMs", "domContentLoadedMs", "startRenderMs", "speedIndexMs", "visuallyCompleteMs", "onLoadMs", "perceivedMs", "actualMs", "objectCount", "connectionCount", "reusedRequests", "retriedRequests", "bytes" })
            Assert.True(root.GetProperty("metrics").TryGetProperty(key, out _), $"missing metrics.{key}");
        var objects = root.GetProperty("objects").EnumerateArray().ToList();
        Assert.Equal(4, objects.Count);
        Assert.Equal("document", objects[0].GetProperty("kind").GetString());
        Assert.Equal("navigation", objects[0].GetProperty("initiator").GetString());
        foreach (var key in new[] { "blocked", "dns", "connect", "ssl", "send", "wait", "receive" })
            Assert.True(objects[0].GetProperty("timings").TryGetProperty(key, out _), $"missing timings.{key}");
        Assert.Equal(1234, objects.Single(o => o.GetProperty("kind").GetString() == "image").GetProperty("bodyBytes").GetInt64());
        var connection = root.GetProperty("connections")[0];
        Assert.Equal("page-done", connection.GetProperty("closeReason").GetString());
        Assert.Equal(site.Port, connection.GetProperty("remotePort").GetInt32());
    }

    [Fact]
    public async Task Load_without_json_prints_a_waterfall_and_a_summary()
    {
        await using var site = Site();
        var (exit, stdout, _) = await Run("load", site.Url("/").AbsoluteUri, "--no-color");

        Assert.Equal(0, exit);
        Assert.Contains("/s.css", stdout);
        Assert.Contains("/i.png", stdout);
        Assert.Contains("perceived", stdout);
        Assert.Contains("actual", stdout);
        Assert.DoesNotContain("\u001b[", stdout);
    }

    [Theory]
    [InlineData("url must be an absolute http or https URL", "load", "not-a-url")]
    [InlineData("url must be an absolute http or https URL", "load", "ftp://127.0.0.1/")]
    [InlineData("--strategy: unknown strategy 'fast'", "load", "http://127.0.0.1/", "--strategy", "fast")]
    [InlineData("--max-connections-per-host must be between 1 and 64", "load", "http://127.0.0.1/", "--max-connections-per-host", "0")]
    [InlineData("--object-timeout-ms must be a whole number", "load", "http://127.0.0.1/", "--object-timeout-ms", "soon")]
    [InlineData("--page-timeout-ms must be between 1 and 3600000", "load", "http://127.0.0.1/", "--page-timeout-ms", "0")]
    [InlineData("unknown option --fast", "load", "http://127.0.0.1/", "--fast")]
    [InlineData("--strategies needs at least one", "compare", "http://127.0.0.1/")]
    [InlineData("a command is needed")]
    [InlineData("unknown command 'fetch'", "fetch")]
    public async Task Bad_arguments_exit_2_with_a_one_line_reason(string reason, params string[] args)
    {
        var (exit, stdout, stderr) = await Run(args);

        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.Contains(reason, stderr);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task A_document_that_cannot_be_fetched_exits_1()
    {
        int port;
        await using (var gone = new StaticOrigin())
            port = gone.Port;
        var (exit, stdout, _) = await Run("load", $"http://127.0.0.1:{port}/", "--json");

        Assert.Equal(1, exit);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("failed", json.RootElement.GetProperty("status").GetString());
        Assert.StartsWith("document: connect:", json.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Compare_runs_each_strategy()
    {
        await using var site = Site();
        var (exit, stdout, _) = await Run("compare", site.Url("/").AbsoluteUri, "--strategies", "serial,persistent", "--max-connections-per-host", "1", "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout);
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["serial", "persistent"], rows.Select(r => r.GetProperty("strategy").GetString()));
        Assert.Equal(4, rows[0].GetProperty("connectionCount").GetInt32());
        Assert.Equal(1, rows[1].GetProperty("connectionCount").GetInt32());
        Assert.True(rows[0].GetProperty("actualMs").GetDouble() > 0);
    }

    [Fact]
    public async Task Compare_shows_the_time_wait_sockets_each_strategy_left()
    {
        // Serial closes after every object (4 sockets wait on FetchAgent's side), persistent keeps one connection
        // and closes it at the end (1): the chapter's TIME_WAIT accumulation, per strategy.
        await using var site = Site();
        var (exit, stdout, _) = await Run("compare", site.Url("/").AbsoluteUri, "--strategies", "serial,persistent", "--max-connections-per-host", "1");

        Assert.Equal(0, exit);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var headings = lines.Single(l => l.StartsWith("strategy", StringComparison.Ordinal));
        var column = headings.IndexOf("TIME_WAIT", StringComparison.Ordinal);
        Assert.True(column > 0, headings);
        string Cell(string strategy) => lines.Single(l => l.StartsWith(strategy, StringComparison.Ordinal))[..(column + "TIME_WAIT".Length)].Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.Equal(("4", "1"), (Cell("serial"), Cell("persistent")));
    }

    [Fact]
    public async Task The_real_executable_prints_nothing_but_the_document_on_stdout()
    {
        await using var site = Site();
        var dll = typeof(CommandLine).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", [dll, "load", site.Url("/").AbsoluteUri, "--json"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, process.ExitCode);
        using var json = JsonDocument.Parse(await stdout);
        Assert.Equal(4, json.RootElement.GetProperty("objects").GetArrayLength());
        Assert.DoesNotContain("\r", await stderr);
    }
}
