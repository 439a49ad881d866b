using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Page;

/// <summary>
/// Issue 16, item 4: the pool's queue is a browser's priority queue. An <c>@import</c> found when its sheet arrives
/// goes ahead of the images already waiting; among equals the order is the order of discovery.
/// </summary>
public sealed class RequestQueueTests
{
    [Fact]
    public async Task An_imported_sheet_is_requested_before_the_images_that_were_waiting()
    {
        const int Images = 30;
        var html = "<link rel=stylesheet href=/a.css><p>text</p>" + string.Concat(Enumerable.Range(0, Images).Select(i => $"<img src=/i{i}.png>"));
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Html(html))
            .Add("/a.css", SiteResource.Css("@import 'b.css'; p { color: red }"))
            .Add("/b.css", SiteResource.Css("p { margin: 0 }"));
        for (var i = 0; i < Images; i++)
            site.Add($"/i{i}.png", SiteResource.Image(100) with { Delay = TimeSpan.FromMilliseconds(20) });

        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options() with { MaxConnectionsPerHost = 2 });

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        var order = site.Requests.Select(r => r.Target).ToList();
        var b = order.IndexOf("/b.css");
        // b.css is found when a.css ends; the connection a.css frees has already gone to the next waiting image, so
        // b.css takes the next connection that frees (each image takes 20 ms): two or three images before it, the
        // rest after. With a FIFO queue it came after every image.
        Assert.True(order.Skip(b + 1).Count(t => t.EndsWith(".png", StringComparison.Ordinal)) >= Images - 6, string.Join(' ', order));
    }
}
