using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace FetchAgent.Tests.Api;

/// <summary>Listing, comparisons, trends, health and the OpenAPI document.</summary>
public sealed class QueryApiTests
{
    [Fact]
    public async Task The_list_filters_and_pages_with_a_stable_cursor()
    {
        await using var a = PageLoadsApiTests.Site();
        await using var b = PageLoadsApiTests.Site();
        await using var daemon = await Daemon.StartAsync();
        for (var i = 0; i < 5; i++)
            await daemon.Client.PostAsJsonAsync("/api/page-loads", new { url = a.Url("/").AbsoluteUri });
        await daemon.Client.PostAsJsonAsync("/api/page-loads", new { url = b.Url("/").AbsoluteUri });

        var onlyA = await daemon.JsonAsync(await daemon.Client.GetAsync($"/api/page-loads?url={Uri.EscapeDataString(a.Url("/").AbsoluteUri)}"));
        Assert.Equal(5, onlyA.GetProperty("items").GetArrayLength());

        var seen = new List<long>();
        string? cursor = null;
        do
        {
            var page = await daemon.JsonAsync(await daemon.Client.GetAsync($"/api/page-loads?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}"));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        Assert.Equal(6, seen.Count);
        Assert.Equal(seen.OrderDescending(), seen);

        var completed = await daemon.JsonAsync(await daemon.Client.GetAsync("/api/page-loads?status=completed&host=127.0.0.1"));
        Assert.Equal(6, completed.GetProperty("items").GetArrayLength());
        var failed = await daemon.JsonAsync(await daemon.Client.GetAsync("/api/page-loads?status=failed"));
        Assert.Equal(0, failed.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("/api/page-loads?status=done", "status")]
    [InlineData("/api/page-loads?limit=0", "limit")]
    [InlineData("/api/page-loads?since=yesterday", "since")]
    [InlineData("/api/page-loads?cursor=garbage!", "cursor")]
    [InlineData("/api/trends", "url")]
    [InlineData("/api/trends?url=nope", "url")]
    public async Task Bad_queries_get_400_naming_the_parameter(string path, string field)
    {
        await using var daemon = await Daemon.StartAsync();
        var response = await daemon.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await daemon.JsonAsync(response)).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Theory]
    [InlineData("99999999999", "must be at most 200, the maximum; follow nextCursor for more")]
    [InlineData("2147483648", "must be at most 200, the maximum; follow nextCursor for more")]
    [InlineData("201", "must be at most 200, the maximum; follow nextCursor for more")]
    [InlineData("0", "must be at least 1")]
    [InlineData("000", "must be at least 1")]
    [InlineData("-1", "must be at least 1")]
    [InlineData("-99999999999", "must be at least 1")]
    [InlineData("ten", "must be a whole number from 1 to 200")]
    [InlineData("1.5", "must be a whole number from 1 to 200")]
    [InlineData("", "must be a whole number from 1 to 200")]
    public async Task A_limit_out_of_range_is_refused_naming_it_and_the_maximum_never_clamped(string limit, string problem)
    {
        await using var daemon = await Daemon.StartAsync();
        var response = await daemon.Client.GetAsync($"/api/page-loads?limit={limit}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var errors = (await daemon.JsonAsync(response)).GetProperty("errors");
        Assert.Equal(["limit"], errors.EnumerateObject().Select(e => e.Name));
        Assert.Equal([problem], errors.GetProperty("limit").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("200")]
    [InlineData("0200")]
    public async Task A_limit_from_1_to_200_is_taken(string limit)
    {
        await using var daemon = await Daemon.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await daemon.Client.GetAsync($"/api/page-loads?limit={limit}")).StatusCode);
    }

    [Fact]
    public async Task A_comparison_runs_each_strategy_and_reads_back_the_same()
    {
        await using var site = PageLoadsApiTests.Site();
        await using var daemon = await Daemon.StartAsync();
        var response = await daemon.Client.PostAsJsonAsync("/api/comparisons", new { url = site.Url("/").AbsoluteUri, strategies = new[] { "serial", "persistent" }, runs = 2, maxConnectionsPerHost = 1 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var posted = await response.Content.ReadAsStringAsync();
        var comparison = JsonDocument.Parse(posted).RootElement;
        var rows = comparison.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["serial", "persistent", "serial", "persistent"], rows.Select(r => r.GetProperty("strategy").GetString()));
        Assert.Equal(4, rows[0].GetProperty("connectionCount").GetInt32());
        Assert.Equal(1, rows[1].GetProperty("connectionCount").GetInt32());
        Assert.All(rows, r => Assert.True(r.GetProperty("actualMs").GetDouble() > 0));
        Assert.Equal(posted, await daemon.Client.GetStringAsync(response.Headers.Location));

        var bad = await daemon.Client.PostAsJsonAsync("/api/comparisons", new { url = site.Url("/").AbsoluteUri, strategies = new[] { "warp" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Trends_give_per_strategy_medians_of_perceived_and_actual()
    {
        await using var site = PageLoadsApiTests.Site();
        await using var daemon = await Daemon.StartAsync();
        var url = site.Url("/").AbsoluteUri;
        var actual = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var load = await daemon.JsonAsync(await daemon.Client.PostAsJsonAsync("/api/page-loads", new { url, strategy = "parallel" }));
            actual.Add(load.GetProperty("metrics").GetProperty("actualMs").GetDouble());
        }

        await daemon.Client.PostAsJsonAsync("/api/page-loads", new { url, strategy = "serial" });
        var trends = await daemon.JsonAsync(await daemon.Client.GetAsync($"/api/trends?url={Uri.EscapeDataString(url)}"));
        var parallel = trends.GetProperty("strategies").EnumerateArray().Single(s => s.GetProperty("strategy").GetString() == "parallel");
        Assert.Equal(3, parallel.GetProperty("count").GetInt32());
        Assert.Equal(actual.Order().ElementAt(1), parallel.GetProperty("medianActualMs").GetDouble(), 6);
        Assert.Single(trends.GetProperty("strategies").EnumerateArray(), s => s.GetProperty("strategy").GetString() == "serial");
    }

    [Fact]
    public async Task Health_and_the_OpenAPI_document_answer()
    {
        await using var daemon = await Daemon.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await daemon.Client.GetAsync("/healthz")).StatusCode);
        var openApi = await daemon.JsonAsync(await daemon.Client.GetAsync("/openapi/v1.json"));
        var paths = openApi.GetProperty("paths");
        foreach (var path in new[] { "/api/page-loads", "/api/page-loads/{id}", "/api/page-loads/{id}/events", "/api/comparisons", "/api/comparisons/{id}", "/api/trends", "/healthz" })
            Assert.True(paths.TryGetProperty(path, out _), $"missing {path}");
    }
}
