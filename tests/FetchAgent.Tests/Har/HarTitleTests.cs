using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FetchAgent.TestServers;
using FetchAgent.Tests.Api;

namespace FetchAgent.Tests.Har;

/// <summary>The page's &lt;title&gt; is stored with the load and is HAR's pages[].title.</summary>
public sealed class HarTitleTests
{
    [Fact]
    public async Task The_documents_title_is_stored_and_becomes_the_HAR_pages_title()
    {
        await using var site = new StaticOrigin().Add("/", SiteResource.Html("<title> Proof  by capture </title><img src=/a.png>")).Add("/a.png", SiteResource.Image(10));
        await using var daemon = await Api.Daemon.StartAsync();

        var response = await daemon.Client.PostAsJsonAsync("/api/page-loads", new { url = site.Url("/").AbsoluteUri });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await daemon.JsonAsync(response)).GetProperty("id").GetInt64();

        var stored = await daemon.JsonAsync(await daemon.Client.GetAsync($"/api/page-loads/{id}"));
        Assert.Equal("Proof by capture", stored.GetProperty("title").GetString());
        using var har = JsonDocument.Parse(await daemon.Client.GetStringAsync($"/api/page-loads/{id}/har"));
        Assert.Equal("Proof by capture", har.RootElement.GetProperty("log").GetProperty("pages")[0].GetProperty("title").GetString());
    }
}
