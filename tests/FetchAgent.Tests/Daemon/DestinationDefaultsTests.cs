using System.Net;
using System.Net.Http.Json;
using FetchAgent.Daemon;
using FetchAgent.TestServers;

namespace FetchAgent.Tests.Daemon;

/// <summary>FetchAgent:BlockPrivateDestinations and its default, which follows where the daemon listens (issue 9, item 4).</summary>
public sealed class DestinationDefaultsTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://localhost:5080", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("http://127.0.0.1:5080;http://[::1]:5081", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://*:5080", false)]
    [InlineData("http://+:5080", false)]
    [InlineData("http://[::]:5080", false)]
    [InlineData("http://192.0.2.10:5080", false)]
    [InlineData("http://127.0.0.1:5080;http://192.0.2.10:5080", false)]
    [InlineData("http://myhost.example:5080", false)]
    public void Private_destinations_are_blocked_by_default_exactly_when_the_daemon_listens_off_loopback(string urls, bool loopbackOnly)
    {
        var listen = new ListenAddresses(urls);

        Assert.Equal(loopbackOnly, listen.LoopbackOnly);
        Assert.Equal(!loopbackOnly, listen.Destinations(blockPrivate: null).BlocksPrivate);
        Assert.True(listen.Destinations(blockPrivate: true).BlocksPrivate);
        Assert.False(listen.Destinations(blockPrivate: false).BlocksPrivate);
    }

    [Fact]
    public void Off_loopback_the_daemons_own_port_is_refused_on_every_address()
    {
        var policy = new ListenAddresses("http://0.0.0.0:5080").Destinations(blockPrivate: null);
        Assert.Equal("the daemon itself", policy.Refusal(IPAddress.Parse("203.0.113.9"), 5080));
        Assert.Null(policy.Refusal(IPAddress.Parse("203.0.113.9"), 443));
    }

    [Fact]
    public async Task A_daemon_told_to_block_private_destinations_refuses_a_loopback_page_without_connecting()
    {
        await using var site = new StaticOrigin().Add("/", SiteResource.Html("<img src=/a.png>")).Add("/a.png", SiteResource.Image(10));
        await using var daemon = await Api.Daemon.StartAsync(configure: o => o.BlockPrivateDestinations = true);

        var response = await daemon.Client.PostAsJsonAsync("/api/page-loads", new { url = $"http://2130706433:{site.Port}/" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var document = await daemon.JsonAsync(response);
        Assert.Equal("failed", document.GetProperty("status").GetString());
        Assert.Equal("document: policy: destination not allowed (127.0.0.1)", document.GetProperty("error").GetString());
        Assert.Equal(0, site.ConnectionCount);
    }
}
