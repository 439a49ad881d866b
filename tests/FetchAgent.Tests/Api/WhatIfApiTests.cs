using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FetchAgent.TestServers;

namespace FetchAgent.Tests.Api;

/// <summary>Issue 13 item 5 end to end: a stored load replayed by <c>GET /api/page-loads/{id}/what-if</c> and <c>fetchagent what-if</c>.</summary>
public sealed class WhatIfApiTests
{
    private static StaticOrigin Site() => new StaticOrigin()
        .Add("/", SiteResource.Html("<link rel=stylesheet href=/s.css><img src=/a.png><img src=/b.png><img src=/c.png>"))
        .Add("/s.css", SiteResource.Css("body{margin:0}"))
        .Add("/a.png", SiteResource.Image(1000))
        .Add("/b.png", SiteResource.Image(1000))
        .Add("/c.png", SiteResource.Image(1000));

    [Fact]
    public async Task A_stored_load_replayed_under_a_round_trip_predicts_each_strategys_connections_and_round_trips()
    {
        await using var site = Site();
        await using var daemon = await Daemon.StartAsync();
        var created = await daemon.JsonAsync(await daemon.Client.PostAsJsonAsync("/api/page-loads", new { url = site.Url("/").AbsoluteUri, strategy = "persistent", maxConnectionsPerHost = 2 }));
        var id = created.GetProperty("id").GetInt64();

        async Task<JsonElement> Predict(string query)
        {
            var response = await daemon.Client.GetAsync($"/api/page-loads/{id}/what-if?{query}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await daemon.JsonAsync(response);
        }

        // serial: five objects, each on a new connection: connect (1 RTT) + request (1 RTT) each, one after another,
        // plus what the recording took on loopback (its think times and parse gaps, well under a round trip).
        var serial = await Predict("strategy=serial&rtt=100");
        Assert.Equal((id, "serial", 100.0), (serial.GetProperty("prediction").GetProperty("fromPageLoadId").GetInt64(),
            serial.GetProperty("prediction").GetProperty("strategy").GetString(), serial.GetProperty("prediction").GetProperty("rttMs").GetDouble()));
        Assert.Equal(5, serial.GetProperty("connections").GetArrayLength());
        Assert.InRange(serial.GetProperty("metrics").GetProperty("actualMs").GetDouble(), 1000, 1060);

        // The recording's own strategy, persistent with 2 per host: the document (2 RTT), then the stylesheet and one
        // image reuse and open (the new one pays its connect), then the last two images: 5 RTT in all.
        var persistent = await Predict("rtt=100");
        Assert.Equal(2, persistent.GetProperty("connections").GetArrayLength());
        Assert.InRange(persistent.GetProperty("metrics").GetProperty("actualMs").GetDouble(), 500, 560);
        // The recorded load is unchanged, and a prediction is never stored.
        var stored = await daemon.JsonAsync(await daemon.Client.GetAsync($"/api/page-loads/{id}"));
        Assert.False(stored.TryGetProperty("prediction", out _));
        Assert.Equal(created.GetProperty("metrics").GetProperty("actualMs").GetDouble(), stored.GetProperty("metrics").GetProperty("actualMs").GetDouble());

        // Conditions out of range, or unknown, are named; an unknown load is 404.
        var bad = await daemon.Client.GetAsync($"/api/page-loads/{id}/what-if?rtt=-1&warp=9&strategy=teleport");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await daemon.JsonAsync(bad)).GetProperty("errors");
        Assert.Equal(["rtt", "strategy", "warp"], errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(HttpStatusCode.NotFound, (await daemon.Client.GetAsync("/api/page-loads/987654/what-if")).StatusCode);
    }

    [Fact]
    public async Task The_command_line_replays_a_load_it_saved()
    {
        await using var site = Site();
        var db = Path.Combine(Path.GetTempPath(), $"fetchagent-whatif-{Guid.NewGuid():N}.db");
        try
        {
            var (exit, _, stderr) = await Cli.Cli.Run(["load", site.Url("/").AbsoluteUri, "--db", db, "--json"]);
            Assert.True(exit == 0, stderr);
            var id = long.Parse(System.Text.RegularExpressions.Regex.Match(stderr, @"stored as page load (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

            (exit, var stdout, stderr) = await Cli.Cli.Run(["what-if", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--db", db, "--strategy", "multiplexed", "--rtt-ms", "80", "--json"]);
            Assert.True(exit == 0, stderr);
            var predicted = JsonDocument.Parse(stdout).RootElement;
            Assert.Equal("multiplexed", predicted.GetProperty("prediction").GetProperty("strategy").GetString());
            Assert.Equal(1, predicted.GetProperty("connections").GetArrayLength());
            // One connection: the document (connect + request), its stylesheet and images at once (one request): 3 RTT.
            Assert.InRange(predicted.GetProperty("metrics").GetProperty("actualMs").GetDouble(), 240, 290);

            (exit, stdout, _) = await Cli.Cli.Run(["what-if", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--db", db, "--rtt-ms", "80", "--no-color"]);
            Assert.Equal(0, exit);
            Assert.StartsWith($"what-if for page load {id}: a prediction, not a measurement\n", stdout, StringComparison.Ordinal);
            Assert.Contains("rtt 80", stdout, StringComparison.Ordinal);

            (exit, _, stderr) = await Cli.Cli.Run(["what-if", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--db", db, "--rtt-ms", "-3"]);
            Assert.Equal((2, "fetchagent: --rtt-ms must be 0–10000 (ms)\n"), (exit, stderr));
            (exit, _, stderr) = await Cli.Cli.Run(["what-if", "424242", "--db", db]);
            Assert.Equal(1, exit);
            Assert.Contains("no page load 424242", stderr, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(db) + "*"))
                File.Delete(f);
        }
    }
}
