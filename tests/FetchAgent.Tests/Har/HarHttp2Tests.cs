using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FetchAgent.TestServers;
using FetchAgent.Tests.Api;

namespace FetchAgent.Tests.Har;

/// <summary>Issue 11 through the daemon: a multiplexed load over h2c is stored with its connection's HTTP/2 facts, and HAR writes <c>h2</c> as Chrome does.</summary>
public sealed class HarHttp2Tests
{
    [Fact]
    public async Task A_multiplexed_load_is_stored_with_its_h2_connection_and_HAR_says_h2()
    {
        await using var nghttpd = await NghttpdOrigin.StartAsync(new Dictionary<string, byte[]>
        {
            ["index.html"] = Encoding.UTF8.GetBytes("<title>h2</title><img src=/a.png><img src=/b.png>"),
            ["a.png"] = new byte[1000],
            ["b.png"] = new byte[2000],
        }, "--max-concurrent-streams=8");
        await using var daemon = await Api.Daemon.StartAsync();

        var response = await daemon.Client.PostAsJsonAsync("/api/page-loads",
            new { url = nghttpd.Url("/index.html").AbsoluteUri, strategy = "multiplexed", http2PriorKnowledge = true });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await daemon.JsonAsync(response)).GetProperty("id").GetInt64();

        var stored = await daemon.JsonAsync(await daemon.Client.GetAsync($"/api/page-loads/{id}"));
        Assert.Equal("multiplexed", stored.GetProperty("options").GetProperty("strategy").GetString());
        Assert.True(stored.GetProperty("options").GetProperty("http2PriorKnowledge").GetBoolean());
        var connection = Assert.Single(stored.GetProperty("connections").EnumerateArray());
        Assert.Equal("h2", connection.GetProperty("protocol").GetString());
        Assert.Equal(8, connection.GetProperty("peerSettings").GetProperty("SETTINGS_MAX_CONCURRENT_STREAMS").GetInt64());
        Assert.Equal(JsonValueKind.Null, connection.GetProperty("goAway").ValueKind);
        Assert.All(stored.GetProperty("objects").EnumerateArray(), o => Assert.Equal("HTTP/2", o.GetProperty("httpVersion").GetString()));

        using var har = JsonDocument.Parse(await daemon.Client.GetStringAsync($"/api/page-loads/{id}/har"));
        var entries = har.RootElement.GetProperty("log").GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(3, entries.Count);
        Assert.All(entries, e => Assert.Equal(("h2", "h2"),
            (e.GetProperty("request").GetProperty("httpVersion").GetString(), e.GetProperty("response").GetProperty("httpVersion").GetString())));
    }
}
