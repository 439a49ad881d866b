using FetchAgent.Bench.SideBySide;
using FetchAgent.Tests.Ui;

namespace FetchAgent.Tests.Bench;

/// <summary>
/// Issue 16: the bench's <c>side-by-side</c> command works end to end: every client (FetchAgent, curl, HttpClient,
/// headless Chromium) loads a tiny generated page once on real nginx hosts and makes exactly the page's requests.
/// Nothing here is about time: the figures belong in the bench's output.
/// Runs in the browser collection, so its Chromium does not start alongside the UI tests' one on a loaded machine.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SideBySideBenchTests
{
    [Fact]
    public async Task Every_client_loads_the_tiny_generated_page_with_exactly_its_requests()
    {
        // 10 sub-resources: 1 stylesheet, 1 script, 1 image only the stylesheet names (url()), 7 <img>; half on 127.0.0.2.
        var options = SideBySideOptions.Defaults with { Runs = 1, CorpusRuns = 0, Objects = 10 };

        var report = await SideBySideBench.RunAsync(options, TextWriter.Null);

        Assert.Equal(["FetchAgent", "curl", "HttpClient", "Chromium"], report.Generated.Clients.Select(c => c.Client));
        foreach (var client in report.Generated.Clients)
        {
            var load = Assert.Single(client.Loads);
            Assert.True(load.Requests == 11, $"{client.Client} made {load.Requests} requests: {string.Join(' ', load.Urls)}");
            Assert.Equal(11, load.Urls.Select(u => u.AbsoluteUri).Distinct().Count());
            Assert.Equal(0, load.NotOk);
            Assert.True(load.Ms > 0, $"{client.Client}: {load.Ms} ms");
        }

        // Chromium, parsing the page itself, asked for the same URLs FetchAgent discovered (its /favicon.ico aside).
        Assert.Empty(report.Generated.OnlyChromium);
        Assert.Empty(report.Generated.OnlyFetchAgent);
        Assert.Empty(report.Generated.RepeatedByChromium);
        // Every client's connections reached nginx under its own User-Agent: in each of its 3 loads (2 warm-up, 1 measured)
        // at least one, and at most the budget (6) on each of the 2 hosts.
        Assert.Equal(3, report.Generated.Loads);
        Assert.All(report.Generated.Clients, c => Assert.True(c.NginxConnections is >= 3 and <= 3 * 2 * 6, $"{c.Client}: nginx saw {c.NginxConnections} connections"));
        Assert.Empty(report.Corpus);

        var table = new StringWriter();
        SideBySideTable.Print(table, report);
        // The table's rows: a client's name, then its figures (the title line "FetchAgent bench: …" is not one).
        var rows = table.ToString().Split('\n')
            .Where(l => report.Generated.Clients.Any(c => l.StartsWith(c.Client + " ", StringComparison.Ordinal)))
            .Where(l => double.TryParse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture, out _))
            .ToList();
        Assert.Equal(4, rows.Count);
        Assert.All(rows, row => Assert.Equal("11", row.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^2]));
    }

    [Theory]
    [InlineData("--connections", "0", "--connections: '0' is not an integer between 1 and 32")]
    [InlineData("--corpus-runs", "-1", "--corpus-runs: '-1' is not an integer between 0 and 100")]
    [InlineData("--delay", "20", "unknown option '--delay'")]
    public void Bad_arguments_name_what_is_wrong(string name, string value, string error)
    {
        Assert.Null(SideBySideOptions.Parse(["side-by-side", name, value], out var message, out var help));
        Assert.False(help);
        Assert.Equal(error, message);
    }

    [Fact]
    public void Arguments_set_the_budget_the_delay_and_the_runs()
    {
        var options = SideBySideOptions.Parse(["side-by-side", "--connections", "4", "--delay-ms", "20", "--runs", "7", "--corpus-runs", "0"], out var error, out _);

        Assert.Null(error);
        Assert.Equal(SideBySideOptions.Defaults with { Connections = 4, DelayMs = 20, Runs = 7, CorpusRuns = 0 }, options);
    }
}
