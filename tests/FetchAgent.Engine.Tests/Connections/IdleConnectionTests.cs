using FetchAgent.Engine.Connections;
using FetchAgent.Engine.Model;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Connections;

/// <summary>What happens to a connection that sits idle between two requests, driven through the pool itself.</summary>
public sealed class IdleConnectionTests
{
    private static async Task<(TransactionResult First, TransactionResult Second, IReadOnlyList<ConnectionRecord> Connections)> TwoRequestsApart(
        StaticOrigin site, TimeSpan idle)
    {
        var clock = new PageClock(TimeProvider.System);
        var pool = new ConnectionPool(Sites.Options(perHost: 1), clock);
        var runner = new TransactionRunner(pool);
        var request = new ExchangeRequest(site.Url("/a"), "*/*", KeepContent: false);
        var first = await runner.RunAsync(request, clock.Now(), CancellationToken.None);
        await Task.Delay(idle);
        var second = await runner.RunAsync(request, clock.Now(), CancellationToken.None);
        await pool.DisposeAsync();
        return (first, second, pool.Connections);
    }

    [Fact]
    public async Task A_connection_reused_after_a_short_idle()
    {
        await using var site = new StaticOrigin().Add("/a", SiteResource.Image(100));
        var (first, second, connections) = await TwoRequestsApart(site, TimeSpan.FromMilliseconds(20));

        Assert.Equal(first.ConnectionId, second.ConnectionId);
        Assert.True(second.ReusedConnection);
        Assert.Single(connections);
        Assert.Equal(2, connections[0].Requests);
    }

    [Fact]
    public async Task A_connection_the_server_closed_while_idle_is_noticed_before_reuse_not_retried()
    {
        await using var site = new StaticOrigin(new PersistenceBehaviour { CloseIdleAfter = TimeSpan.FromMilliseconds(30) }).Add("/a", SiteResource.Image(100));
        var (first, second, connections) = await TwoRequestsApart(site, TimeSpan.FromMilliseconds(250));

        Assert.Null(second.Error);
        Assert.NotEqual(first.ConnectionId, second.ConnectionId);
        Assert.False(second.ReusedConnection);
        Assert.Equal(0, second.Retries);
        Assert.Equal(0, site.DroppedRequests);
        Assert.Equal(CloseReason.ServerClose, connections[0].CloseReason);
        Assert.Equal(2, site.ConnectionCount);
    }

    [Fact]
    public async Task A_connection_idle_past_the_servers_Keep_Alive_timeout_is_not_reused()
    {
        // timeout=1 s; reuse stops a margin (250 ms) before it, so an idle of 900 ms is too long.
        await using var site = new StaticOrigin(new PersistenceBehaviour { KeepAliveTimeoutSeconds = 1 }).Add("/a", SiteResource.Image(100));
        var (first, second, connections) = await TwoRequestsApart(site, TimeSpan.FromMilliseconds(900));

        Assert.Null(second.Error);
        Assert.NotEqual(first.ConnectionId, second.ConnectionId);
        Assert.Equal(CloseReason.KeepAliveTimeout, connections[0].CloseReason);
        Assert.Equal(new KeepAliveRecord(1, null), connections[0].KeepAlive);
    }
}
