using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Page;

/// <summary>A bad server fails its object with a specific error; the page load completes.</summary>
public sealed class HostileServerTests
{
    /// <summary>A page of a bad image and a good one: the page is partial with no error of its own, the good image
    /// loads, and the bad one is returned (for a redirect loop, its last hop: the one that gave up).</summary>
    internal static async Task<ObjectRecord> LoadWithBadImage(SiteResource bad, LoadOptions? options = null)
    {
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Html("<img src=/bad.png><img src=/good.png>"))
            .Add("/bad.png", bad)
            .Add("/good.png", SiteResource.Image(300));
        var page = await new PageLoader().LoadAsync(site.Url("/"), options ?? Sites.Options(perHost: 3));

        Assert.Equal((PageLoadStatus.Partial, null, null), (page.Status, page.Error, page.ErrorKind));
        var good = page.Objects.Single(o => o.Url.EndsWith("/good.png", StringComparison.Ordinal));
        Assert.Equal((200, null, null), (good.Status, good.Error, good.ErrorKind));
        return page.Objects.Last(o => o.Url.EndsWith("/bad.png", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_body_cut_short_is_truncated_with_its_counts()
    {
        var bad = await LoadWithBadImage(SiteResource.Hostile("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789"));
        Assert.Equal("truncated: 10 of 100 bytes", bad.Error);
        Assert.Equal(10, bad.BodyBytes);
        Assert.Equal(200, bad.Status);
    }

    [Fact]
    public async Task A_garbled_status_line_is_rejected()
    {
        var bad = await LoadWithBadImage(SiteResource.Hostile("HTTP/1.1 abc nonsense\r\n\r\n"));
        Assert.Equal("invalid status line", bad.Error);
    }

    [Fact]
    public async Task An_invalid_chunk_size_is_rejected()
    {
        var bad = await LoadWithBadImage(SiteResource.Hostile("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"));
        Assert.Equal("invalid chunk size", bad.Error);
    }

    [Fact]
    public async Task A_server_that_closes_without_answering_fails_the_object()
    {
        var bad = await LoadWithBadImage(SiteResource.Hostile(""));
        Assert.Equal("connection closed before any response byte", bad.Error);
    }

    [Fact]
    public async Task A_hung_server_times_out_and_the_load_goes_on()
    {
        var bad = await LoadWithBadImage(SiteResource.Image(10) with { Delay = TimeSpan.FromSeconds(20) }, Sites.Options(perHost: 3) with { ObjectTimeoutMs = 300 });
        Assert.Equal("timeout: no response in 300 ms", bad.Error);
        // The OS timer may fire a tick early; the deadline is the option, the time is what the clock read.
        Assert.InRange(bad.EndMs - bad.StartMs, 290, 5000);
    }

    [Fact]
    public async Task A_huge_body_stops_at_the_limit()
    {
        var bad = await LoadWithBadImage(SiteResource.Image(50_000), Sites.Options(perHost: 3) with { MaxBodyBytes = 10_000 });
        Assert.StartsWith("body too large: over 10000 bytes", bad.Error);
    }

    [Fact]
    public async Task An_unreachable_document_fails_the_page_load()
    {
        int port;
        await using (var gone = new StaticOrigin())
            port = gone.Port;
        var page = await new PageLoader().LoadAsync(new Uri($"http://127.0.0.1:{port}/"), Sites.Options());

        Assert.Equal(PageLoadStatus.Failed, page.Status);
        Assert.Equal($"document: connect: 127.0.0.1:{port} connection refused", page.Error);
        Assert.Single(page.Objects);
        Assert.True(page.Objects[0].Timings.Connect >= 0);
    }
}
