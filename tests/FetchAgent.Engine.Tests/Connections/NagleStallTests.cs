using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;

namespace FetchAgent.Engine.Tests.Connections;

/// <summary>
/// Issue 13, item 4: Nagle's algorithm and delayed ACKs, the chapter's stall. With TCP_NODELAY off and the request
/// in two writes, the header fields wait for the ACK of the request line, which the server delays for want of a reply
/// (Linux: at least 40 ms, TCP_DELACK_MIN). A new connection starts in quick-ACK mode, so the stall shows on the
/// requests after the first on a persistent connection. Either option alone, and the defaults, do not stall.
/// </summary>
public sealed class NagleStallTests
{
    private const double DelayedAckMs = 40;

    [Fact]
    public async Task Nagle_with_a_split_request_stalls_reused_requests_by_a_delayed_ack_and_nothing_else_does()
    {
        await using var site = Sites.WithImages(8, imageBytes: 200);
        var options = Sites.Options(ConnectionStrategy.Persistent, perHost: 1);
        var loader = new PageLoader();

        var stalled = await ReusedWaitsAsync(loader, site.Url("/"), options with { Nagle = true, SplitRequest = true });
        var defaults = await ReusedWaitsAsync(loader, site.Url("/"), options);
        var nagleOnly = await ReusedWaitsAsync(loader, site.Url("/"), options with { Nagle = true });
        var splitOnly = await ReusedWaitsAsync(loader, site.Url("/"), options with { SplitRequest = true });

        // The stall is the kernel's: never shorter than its delayed-ACK minimum (a little slack for timer granularity).
        Assert.True(Median(stalled) >= DelayedAckMs - 5, $"stalled waits {string.Join(", ", stalled)}");
        foreach (var (name, waits) in new[] { ("defaults", defaults), ("nagle only", nagleOnly), ("split only", splitOnly) })
            Assert.True(Median(waits) < DelayedAckMs / 2, $"{name}: {string.Join(", ", waits)}");
    }

    /// <summary>send + wait of every request after the first on the one connection.</summary>
    private static async Task<List<double>> ReusedWaitsAsync(PageLoader loader, Uri url, LoadOptions options)
    {
        var page = await loader.LoadAsync(url, options);
        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.Single(page.Connections);
        return page.Objects.Where(o => o.ReusedConnection).Select(o => o.Timings.Send + o.Timings.Wait).ToList();
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
