using System.Globalization;
using System.Text.RegularExpressions;
using FetchAgent.Engine.Connections;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.Engine.Tests.Connections;

namespace FetchAgent.Engine.Tests.Http2;

/// <summary><c>load --trace</c> on HTTP/2: a request sharing the connection is a stream multiplexed on it, never "pipelined".</summary>
public sealed partial class MultiplexedTraceTests
{
    [GeneratedRegex(@"^#1 GET (?<target>\S+) is stream (?<stream>\d+) on connection #1 \(multiplexed, (?<others>\d+) other streams in flight\)$")]
    private static partial Regex StreamLine();

    [Fact]
    public async Task Each_request_is_traced_as_its_stream_on_the_one_connection()
    {
        const string page = "<!doctype html><title>t</title><img src=/a.png><img src=/b.png><img src=/c.png>";
        var held = new List<int>();
        await using var server = H2Peer.Serve(async (peer, _, streamId, path) =>
        {
            if (path == "/")
            {
                await peer.RespondAsync(streamId, "text/html", page);
                return;
            }

            // The images are answered once all three are asked for: three streams in flight at once.
            held.Add(streamId);
            if (held.Count == 3)
            {
                foreach (var id in held)
                    await peer.RespondAsync(id, "image/png", "png!");
            }
        });
        var log = new TraceLog();
        var loaded = await new PageLoader(loggerFactory: log).LoadAsync(server.Url("/"),
            Sites.Options(ConnectionStrategy.Multiplexed) with { Http2PriorKnowledge = true }).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(PageLoadStatus.Completed, loaded.Status);
        var decisions = log.Decisions;
        Assert.DoesNotContain(decisions, d => d.Contains("pipelined", StringComparison.Ordinal));
        Assert.Contains("#1 new connection for GET /", decisions);
        Assert.Contains("#1 GET / is stream 1 on connection #1 (multiplexed, 0 other streams in flight)", decisions);
        var streams = decisions.Select(d => StreamLine().Match(d)).Where(m => m.Success).ToList();
        // One line per request, its stream ids rising by two (RFC 9113 §5.1.1), the images' ids as the server saw them.
        Assert.Equal(["/", "/a.png", "/b.png", "/c.png"], streams.Select(m => m.Groups["target"].Value).Order());
        Assert.Equal([1, 3, 5, 7], streams.Select(m => int.Parse(m.Groups["stream"].Value, CultureInfo.InvariantCulture)).Order());
        Assert.Equal([3, 5, 7], held.Order());
        // The last image became a stream while the other two (at least) were in flight beside it.
        Assert.True(streams.Max(m => int.Parse(m.Groups["others"].Value, CultureInfo.InvariantCulture)) >= 2, string.Join("\n", decisions));
        Assert.InRange(Assert.Single(loaded.Connections).PeakConcurrentStreams ?? 0, 3, 4);
    }
}
