using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Page;

/// <summary>Issue 12: each object records the Via and Age that proxies and caches on the way added, read as RFC 9110 and RFC 9111 say.</summary>
public sealed class ViaAndAgeTests
{
    [Fact]
    public async Task Via_joins_every_hop_and_Age_takes_the_first_delta_seconds_or_nothing()
    {
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Html("<img src=/list.png><img src=/word.png><img src=/huge.png><img src=/plain.png><img src=/negative.png>"))
            // Two Via fields: one hop each, in the order they were added (RFC 9110 §7.6.3).
            .Add("/list.png", SiteResource.Image(10) with { Headers = [("Via", "1.1 first"), ("Via", "1.0 second (old)"), ("Age", "7, 9")] })
            .Add("/word.png", SiteResource.Image(10) with { Headers = [("Age", "seven")] })
            .Add("/huge.png", SiteResource.Image(10) with { Headers = [("Age", "99999999999999999999")] })
            .Add("/plain.png", SiteResource.Image(10))
            .Add("/negative.png", SiteResource.Image(10) with { Headers = [("Age", "-3")] });

        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options());

        var byPath = page.Objects.ToDictionary(o => new Uri(o.Url).AbsolutePath, o => (o.Via, o.Age));
        Assert.Equal(("1.1 first, 1.0 second (old)", (long?)7), byPath["/list.png"]);
        Assert.Equal((null, (long?)null), byPath["/word.png"]);
        Assert.Equal((null, (long?)2147483648), byPath["/huge.png"]); // RFC 9111 §1.2.2: too big to hold is 2^31
        Assert.Equal((null, (long?)null), byPath["/plain.png"]);
        Assert.Equal((null, (long?)null), byPath["/negative.png"]);
    }
}
