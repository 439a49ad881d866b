using System.Net;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Navigation;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Navigation;

/// <summary>Where a load may go (issue 9, item 4): every address after DNS, before any packet.</summary>
public sealed class DestinationPolicyTests
{
    private static readonly DestinationPolicy Blocking = DestinationPolicy.BlockPrivate([]);

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.0.9", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("100.64.0.1", "shared (CGNAT)")]
    [InlineData("169.254.169.254", "cloud metadata")]
    [InlineData("169.254.1.1", "link-local")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("::", "unspecified")]
    [InlineData("::ffff:127.0.0.1", "IPv4-mapped IPv6")]
    [InlineData("::ffff:8.8.8.8", "IPv4-mapped IPv6")]
    [InlineData("::127.0.0.1", "IPv4-compatible IPv6")]
    [InlineData("64:ff9b::a00:1", "NAT64")]
    [InlineData("fd00::1", "private (unique local)")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("255.255.255.255", "broadcast")]
    [InlineData("8.8.8.8", null)]
    [InlineData("172.32.0.1", null)]
    [InlineData("100.128.0.1", null)]
    [InlineData("2001:4860:4860::8888", null)]
    public void Special_purpose_addresses_are_named_and_public_ones_pass(string address, string? refusal)
    {
        Assert.Equal(refusal, DestinationPolicy.Classify(IPAddress.Parse(address)));
        Assert.Equal(refusal, Blocking.Refusal(IPAddress.Parse(address), 80));
        Assert.Null(DestinationPolicy.AllowAll.Refusal(IPAddress.Parse(address), 80));
    }

    [Fact]
    public void The_daemons_own_port_is_refused_on_any_of_its_addresses()
    {
        var policy = DestinationPolicy.BlockPrivate([new IPEndPoint(IPAddress.Any, 5080)]).Except(new IPEndPoint(IPAddress.Loopback, 5080));
        Assert.Equal("the daemon itself", policy.Refusal(IPAddress.Loopback, 5080));
        Assert.Equal("the daemon itself", policy.Refusal(IPAddress.Parse("203.0.113.7"), 5080));
        Assert.Null(policy.Refusal(IPAddress.Parse("203.0.113.7"), 5081));
    }

    [Theory]
    [InlineData("http://127.0.0.1:{0}/")]
    [InlineData("http://2130706433:{0}/")]
    [InlineData("http://0x7f000001:{0}/")]
    [InlineData("http://127.1:{0}/")]
    [InlineData("http://0177.0.0.1:{0}/")]
    [InlineData("http://[::ffff:127.0.0.1]:{0}/")]
    [InlineData("http://localhost:{0}/")]
    public async Task Every_spelling_of_loopback_is_refused_before_a_packet_is_sent(string url)
    {
        await using var site = Sites.WithImages(1);
        var page = await new PageLoader(destinations: Blocking).LoadAsync(new Uri(string.Format(System.Globalization.CultureInfo.InvariantCulture, url, site.Port)), Sites.Options());

        Assert.Equal(PageLoadStatus.Failed, page.Status);
        var document = Assert.Single(page.Objects);
        Assert.Matches(@"^policy: destination not allowed \((127\.0\.0\.1|::1)\)$", document.Error);
        Assert.Empty(page.Connections);
        Assert.Equal(0, site.ConnectionCount);
    }

    [Fact]
    public async Task A_sub_resource_or_redirect_to_a_private_address_is_refused_and_the_load_goes_on()
    {
        await using var other = Sites.WithImages(1);
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Html($"<img src=/ok.png><img src=http://127.0.0.1:{other.Port}/img/0.png><img src=/hop.png>"))
            .Add("/ok.png", SiteResource.Image(10))
            .Add("/hop.png", SiteResource.Redirect(302, $"http://127.0.0.1:{other.Port}/img/0.png?via=redirect"));
        var policy = Blocking.Except(new IPEndPoint(IPAddress.Loopback, site.Port));

        var page = await new PageLoader(destinations: policy).LoadAsync(site.Url("/"), Sites.Options());

        Assert.Equal(PageLoadStatus.Partial, page.Status);
        var refused = page.Objects.Where(o => o.Error is not null).Select(o => (o.Url, o.Error)).OrderBy(o => o.Url, StringComparer.Ordinal).ToList();
        Assert.Equal(
            [($"http://127.0.0.1:{other.Port}/img/0.png", "policy: destination not allowed (127.0.0.1)"),
             ($"http://127.0.0.1:{other.Port}/img/0.png?via=redirect", "policy: destination not allowed (127.0.0.1)")],
            refused);
        Assert.Equal(0, other.ConnectionCount);
        Assert.Equal(200, page.Objects.Single(o => o.Url.EndsWith("/ok.png", StringComparison.Ordinal)).Status);
    }

    [Fact]
    public async Task When_allowed_an_IPv4_mapped_literal_is_reached_over_IPv4_as_a_browser_does()
    {
        await using var site = Sites.WithImages(1);
        var page = await new PageLoader().LoadAsync(new Uri($"http://[::ffff:127.0.0.1]:{site.Port}/"), Sites.Options());

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.Equal("127.0.0.1", page.Connections[0].RemoteAddress);
        Assert.Equal(3, site.Requests.Count);
    }
}
