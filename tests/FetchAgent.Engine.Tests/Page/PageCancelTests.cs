using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Page;

/// <summary>Issue 9, item 2's cancel in the engine: a load asked to end ends as its page deadline would, as cancelled.</summary>
public sealed class PageCancelTests
{
    private static readonly TimeSpan Forever = TimeSpan.FromHours(1);

    [Fact]
    public async Task Asked_to_end_the_load_keeps_what_finished_and_ends_what_is_in_flight_as_cancelled()
    {
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Html("<img src=/a.png><img src=/hang.png>"))
            .Add("/a.png", SiteResource.Image(100))
            .Add("/hang.png", SiteResource.Image(100) with { Delay = Forever })
            .Add("/late.png", SiteResource.Image(100));
        var imageDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var end = new CancellationTokenSource();

        var load = new PageLoader().LoadAsync(site.Url("/"), Sites.Options(), o =>
        {
            if (o.Url.EndsWith("/a.png", StringComparison.Ordinal))
                imageDone.TrySetResult();
        }, CancellationToken.None, end.Token);
        await Task.WhenAll(site.WhenRequested("/hang.png"), imageDone.Task).WaitAsync(TimeSpan.FromSeconds(30));
        await end.CancelAsync();
        var page = await load.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(PageLoadStatus.Cancelled, page.Status);
        Assert.Null(page.Error);
        Assert.Equal(["/", "/a.png", "/hang.png"], page.Objects.Select(o => new Uri(o.Url).AbsolutePath));
        Assert.All(page.Objects.Take(2), o => Assert.Equal((200, (string?)null), (o.Status!.Value, o.Error)));
        var hung = page.Objects[2];
        Assert.Equal(("cancelled", (int?)null), (hung.Error, hung.Status));
        Assert.Equal(hung.EndMs - hung.StartMs, hung.Time, 1e-6);
        Assert.Equal(page.Metrics.OnLoadMs, hung.EndMs);
    }

    [Fact]
    public async Task Asked_to_end_before_the_document_arrived_the_load_is_cancelled_not_failed()
    {
        await using var site = new StaticOrigin().Add("/", SiteResource.Html("<p>late") with { Delay = Forever });
        using var end = new CancellationTokenSource();

        var load = new PageLoader().LoadAsync(site.Url("/"), Sites.Options(), null, CancellationToken.None, end.Token);
        await site.WhenRequested("/").WaitAsync(TimeSpan.FromSeconds(30));
        await end.CancelAsync();
        var page = await load.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(PageLoadStatus.Cancelled, page.Status);
        Assert.Equal("document: cancelled", page.Error);
        Assert.Equal("cancelled", Assert.Single(page.Objects).Error);
    }

    [Fact]
    public async Task Asked_to_end_after_every_object_ended_changes_nothing()
    {
        // The server holds its side of the close: the engine is closing its connections, its objects all ended.
        var closing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new ScriptedServer(async connection =>
        {
            await connection.ReadRequestAsync();
            await connection.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 7\r\n\r\n<p>done");
            await connection.ReadRequestAsync(); // null at the client's FIN: its graceful close began
            closing.TrySetResult();
            await release.Task;
        });
        using var end = new CancellationTokenSource();

        var load = new PageLoader().LoadAsync(server.Url("/"), Sites.Options(), null, CancellationToken.None, end.Token);
        await closing.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await end.CancelAsync();
        release.SetResult();
        var page = await load.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal((PageLoadStatus.Completed, (string?)null), (page.Status, Assert.Single(page.Objects).Error));
    }
}
