using System.Globalization;
using System.Text.RegularExpressions;
using FetchAgent.TestServers;

namespace FetchAgent.Tests.Cli;

/// <summary>
/// Issue 10, item 5: <c>load --trace</c> prints every pool and connection decision on stderr, in the order they
/// happened, each with its ms since the page's start and its connection; without it stderr has none of them.
/// </summary>
public sealed partial class TraceCommandLineTests
{
    [Fact]
    public async Task Load_trace_prints_the_pool_decisions_of_a_known_page_in_order()
    {
        await using var site = TracedSite.Start();
        var (exit, stdout, stderr) = await Cli.Run("load", site.Url("/").ToString(), "--max-connections-per-host", "1", "--trace", "--no-color");

        Assert.Equal(0, exit);
        var lines = TraceLines(stderr);
        var origin = site.Origin;
        var port = site.Port;
        var local = Regex.Match(stderr, @"connected 127\.0\.0\.1:(\d+) ->").Groups[1].Value;
        Assert.Equal(
        [
            "#1 new connection for GET /",
            $"#1 connect to 127.0.0.1:{port}",
            $"#1 connected 127.0.0.1:{local} -> 127.0.0.1:{port}",
            $"GET /style.css queued for {origin} (1 of 1 connections taken, 1 waiting)",
            "#1 handed on to GET /style.css",
            "#1 reused (idle) for GET /a.png",
            "#1 retired: keep-alive max: the server's Keep-Alive max is spent",
            "#1 closed (keep-alive max, 3 requests, gracefully)",
        ], lines.Select(l => l.Text));
        // Each line says when its decision happened; they are written in that order, the stylesheet's wait runs
        // through the document's pause, and the waterfall still goes to stdout.
        Assert.Equal(lines.Select(l => l.Ms).Order(), lines.Select(l => l.Ms));
        Assert.InRange(lines[4].Ms - lines[3].Ms, TracedSite.Pause.TotalMilliseconds * 0.5, 30_000);
        Assert.Contains("/a.png", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("* ", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_trace_stderr_has_no_trace_line()
    {
        await using var site = TracedSite.Start();
        var (exit, _, stderr) = await Cli.Run("load", site.Url("/").ToString(), "--max-connections-per-host", "1", "--no-color");

        Assert.Equal(0, exit);
        Assert.Empty(TraceLines(stderr));
        Assert.DoesNotContain(" ms #1 ", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("compare", "--strategies", "persistent", "--trace")]
    [InlineData("load", "--runs", "2", "--trace")]
    public async Task Trace_is_for_one_load(params string[] args)
    {
        var (exit, _, stderr) = await Cli.Run([args[0], "http://127.0.0.1:9/", .. args[1..]]);

        Assert.Equal(2, exit);
        Assert.Contains("--trace traces one load", stderr, StringComparison.Ordinal);
    }

    internal static List<(double Ms, string Text)> TraceLines(string stderr) =>
        stderr.Split('\n').Select(l => TraceLine().Match(l.TrimEnd('\r'))).Where(m => m.Success)
            .Select(m => (double.Parse(m.Groups["ms"].Value, CultureInfo.InvariantCulture), m.Groups["text"].Value)).ToList();

    [GeneratedRegex(@"^\* (?<ms>\d+\.\d{3}) ms (?<text>.*)$")]
    private static partial Regex TraceLine();
}
