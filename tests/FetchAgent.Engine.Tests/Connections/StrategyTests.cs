using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Connections;

/// <summary>Each strategy makes the connection pattern the contract's table names, as the server sees it.</summary>
public sealed class StrategyTests
{
    private static readonly TimeSpan Slow = TimeSpan.FromMilliseconds(25);

    [Fact]
    public async Task Serial_uses_one_new_connection_per_object_one_at_a_time()
    {
        await using var site = Sites.WithImages(6, imageDelay: Slow);
        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options(ConnectionStrategy.Serial, perHost: 4));

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.Equal(1, site.MaxConcurrentConnections);
        Assert.Equal(8, site.ConnectionCount);
        Assert.All(site.Requests, r => Assert.Equal("close", r.Header("Connection")));
        Assert.Equal(0, page.Metrics.ReusedRequests);
        Assert.All(page.Connections, c => Assert.Equal(1, c.Requests));
        // One at a time for the whole page: no two objects overlap.
        var ordered = page.Objects.OrderBy(o => o.EndMs).ToList();
        for (var i = 1; i < ordered.Count; i++)
            Assert.True(ordered[i].EndMs - ordered[i].Timings.Receive - ordered[i].Timings.Wait - ordered[i].Timings.Send >= ordered[i - 1].EndMs - 1);
    }

    [Fact]
    public async Task Parallel_opens_up_to_N_at_once_and_a_new_one_per_object()
    {
        await using var site = Sites.WithImages(8, imageDelay: Slow);
        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options(ConnectionStrategy.Parallel, perHost: 3));

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.Equal(10, site.ConnectionCount);
        Assert.Equal(3, site.MaxConcurrentConnections);
        Assert.All(site.Requests, r => Assert.Equal("close", r.Header("Connection")));
        Assert.All(page.Connections, c => Assert.Equal(CloseReason.ClientClose, c.CloseReason));
        Assert.Equal(0, page.Metrics.ReusedRequests);
    }

    [Fact]
    public async Task Persistent_keeps_N_open_and_reuses_them_one_request_at_a_time()
    {
        await using var site = Sites.WithImages(8, imageDelay: Slow);
        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options(ConnectionStrategy.Persistent, perHost: 2));

        Assert.Equal(2, site.ConnectionCount);
        Assert.All(site.Requests, r => Assert.Equal("keep-alive", r.Header("Connection")));
        Assert.Equal(0, site.PipelinedRequestsSeen);
        Assert.Equal(8, page.Metrics.ReusedRequests);
    }

    [Fact]
    public async Task Pipelined_sends_requests_before_earlier_responses_arrive()
    {
        await using var site = Sites.WithImages(12, imageDelay: Slow);
        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options(ConnectionStrategy.Pipelined, perHost: 2) with { PipelineDepth = 4 });

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.Equal(2, site.ConnectionCount);
        Assert.True(site.PipelinedRequestsSeen > 0, "the server never found a request waiting behind a response");
        Assert.All(page.Objects, o => Assert.Equal(200, o.Status));
        // Responses were matched in order: every image got its own bytes and status.
        Assert.All(page.Objects.Where(o => o.Kind == ResourceKind.Image), o => Assert.Equal(2000, o.BodyBytes));
    }

    [Fact]
    public async Task Pipelined_requests_left_unanswered_by_a_closing_server_are_retried()
    {
        await using var site = Sites.WithImages(10, new PersistenceBehaviour { MaxRequestsPerConnection = 3 }, imageDelay: Slow);
        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options(ConnectionStrategy.Pipelined, perHost: 1) with { PipelineDepth = 4 });

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.All(page.Objects, o => Assert.Equal(200, o.Status));
        Assert.All(page.Connections, c => Assert.InRange(c.Requests, 1, 3));
        // Every request the server read and left unanswered was retried once, and nothing else was: the count the
        // client reports is the count the server saw (PoolWordTests pins a case where it is exactly one).
        Assert.Equal(site.UnansweredRequests, page.Metrics.RetriedRequests);
        Assert.Equal(page.Metrics.RetriedRequests, page.Objects.Sum(o => o.Retries));
        Assert.All(page.Objects, o => Assert.InRange(o.Retries, 0, 1));
        Assert.Equal(12 + site.UnansweredRequests, site.Requests.Count);
    }
}
