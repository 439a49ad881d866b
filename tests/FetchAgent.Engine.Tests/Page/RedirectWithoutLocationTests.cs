using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Page;

/// <summary>RFC 9110 §15.4: a 3xx names its target in Location "if any"; without one it is the final response.</summary>
public sealed class RedirectWithoutLocationTests
{
    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    public async Task A_3xx_without_Location_is_final_as_curl_llhttp_and_Chromium_treat_it(int status)
    {
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Html("<!doctype html><img src=/moved.png>"))
            .Add("/moved.png", new SiteResource("text/plain", "no forwarding address"u8.ToArray()) { Status = status, Reason = "Moved" });

        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options());

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.Equal(2, page.Objects.Count);
        var moved = page.Objects[1];
        Assert.Equal((status, (string?)null, (string?)null), (moved.Status!.Value, moved.Error, moved.RedirectUrl));
        Assert.Equal(21, moved.BodyBytes);
        Assert.Equal(2, site.Requests.Count);
    }
}
