using System.Text;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Connections;

/// <summary>
/// Against a real Apache httpd, whose <c>Keep-Alive: timeout=2, max=N</c> counts down on every response
/// (MaxKeepAliveRequests 3: max=3, 2, 1 on a connection's first three responses, then <c>Connection: close</c> on the
/// fourth). Its access log gives each request's client port, its place on the connection (<c>%k</c>) and the
/// request's Connection field.
/// </summary>
public sealed class ApacheTests
{
    private sealed record LogLine(int Port, int KeepAliveCount, string Connection, string Path);

    private static Dictionary<string, byte[]> Site(int images)
    {
        var html = new StringBuilder("<!doctype html><link rel=stylesheet href=/s.css>");
        var files = new Dictionary<string, byte[]>();
        for (var i = 0; i < images; i++)
        {
            html.Append($"<img src=/i{i}.png>");
            files[$"i{i}.png"] = Enumerable.Range(0, 2000 + i).Select(b => (byte)(b * 7)).ToArray();
        }

        files["index.html"] = Encoding.UTF8.GetBytes(html.ToString());
        files["s.css"] = "body { margin: 0 }"u8.ToArray();
        return files;
    }

    private static LogLine Parse(string line)
    {
        // 51234 2 "keep-alive" "GET /i3.png HTTP/1.1" 200
        var quoted = line.Split('"');
        var head = quoted[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new LogLine(int.Parse(head[0]), int.Parse(head[1]), quoted[1], quoted[3].Split(' ')[1]);
    }

    [Theory]
    [InlineData(ConnectionStrategy.Persistent)]
    [InlineData(ConnectionStrategy.Pipelined)]
    public async Task Apache_keep_alive_max_is_honoured_exactly_with_no_request_lost_or_retried(ConnectionStrategy strategy)
    {
        await using var apache = await ApacheOrigin.StartAsync(Site(10), "MaxKeepAliveRequests 3\nKeepAliveTimeout 2");
        var page = await new PageLoader().LoadAsync(apache.Url("/index.html"), Sites.Options(strategy, perHost: 2) with { PipelineDepth = 4 });

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.Equal(12, page.Objects.Count);
        Assert.All(page.Objects, o => Assert.Equal(200, o.Status));
        // Pipelined, the request that says close must also be written last: Apache answers it and closes.
        Assert.Equal(0, page.Metrics.RetriedRequests);
        Assert.Equal(12, page.Connections.Sum(c => c.Requests));

        await OriginPoolTests.WaitFor(() => apache.AccessLog().Count == 12);
        var log = apache.AccessLog().Select(Parse).ToList();
        // Apache answered each object once: no request was sent twice.
        Assert.Equal(page.Objects.Select(o => new Uri(o.Url).AbsolutePath).Order(), log.Select(l => l.Path).Order());
        var byPort = log.GroupBy(l => l.Port).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(page.Connections.Select(c => c.LocalPort).Order(), byPort.Keys.Order());
        foreach (var connection in page.Connections)
        {
            var lines = byPort[connection.LocalPort];
            Assert.Equal(connection.Requests, lines.Count);
            Assert.Equal(Enumerable.Range(0, lines.Count), lines.Select(l => l.KeepAliveCount).Order());
            if (connection.CloseReason == CloseReason.KeepAliveMax)
            {
                // The whole allowance and not one more: the fourth request, and only it, said close.
                Assert.Equal(4, connection.Requests);
                Assert.Equal(new KeepAliveRecord(2, 1), connection.KeepAlive);
                Assert.Equal(["keep-alive", "keep-alive", "keep-alive", "close"], lines.OrderBy(l => l.KeepAliveCount).Select(l => l.Connection));
            }
            else
            {
                Assert.Equal(CloseReason.PageDone, connection.CloseReason);
                Assert.InRange(connection.Requests, 1, 3);
                Assert.All(lines, l => Assert.Equal("keep-alive", l.Connection));
                Assert.Equal(new KeepAliveRecord(2, 4 - connection.Requests), connection.KeepAlive);
            }

            Assert.Null(connection.Error);
        }
    }
}
