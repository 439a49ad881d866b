using System.Globalization;
using FetchAgent.Engine.Model;
using FetchAgent.TestServers;
using static FetchAgent.Engine.Tests.Connections.ConnectionInStepTests;

namespace FetchAgent.Engine.Tests.Connections;

/// <summary>
/// The pool keeps its word at the moments that matter, each made deterministic by a scripted server that waits for
/// the client's own events: a slot is free only once its socket is closed; Keep-Alive max counts the requests already
/// in flight; a retry happens exactly when a request went unanswered, and names the connection that carried it.
/// </summary>
public sealed class PoolWordTests
{
    private static string Ok(ReceivedRequest request, string extra = "") =>
        $"HTTP/1.1 200 OK\r\n{extra}Content-Length: {request.Target.Length}\r\n\r\n{request.Target}";

    [Fact]
    public async Task A_slot_is_freed_when_the_socket_is_closed_not_when_its_close_starts()
    {
        // One per host. Connection 1 answers "Connection: close"; the client half-closes and waits (up to 1 s) for the
        // server's FIN, which this server holds back until a second connection arrives. At that accept the test counts
        // the sockets this process really holds open to the server: only the new one may be open.
        var secondAccepted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        IReadOnlyList<int>? openAtSecondAccept = null;
        var secondPort = 0;
        await using var server = new ScriptedServer(async c =>
        {
            if (c.Index == 1)
            {
                var request = await c.ReadRequestAsync();
                await c.WriteAsync(Ok(request!, "Connection: close\r\n"));
                await c.ReadToEndAsync(TimeSpan.FromSeconds(15));
                await secondAccepted.Task.WaitAsync(TimeSpan.FromSeconds(15));
                return;
            }

            secondPort = c.RemotePort;
            openAtSecondAccept = ClientSockets.LocalPortsConnectedTo(c.Socket.LocalEndPoint is System.Net.IPEndPoint local ? local.Port : 0);
            secondAccepted.TrySetResult();
            while (await c.ReadRequestAsync() is { } next)
                await c.WriteAsync(Ok(next));
        });

        var (results, connections) = await RunAsync([server.Url("/a"), server.Url("/b")], together: true);

        Assert.Equal(["/a", "/b"], results.Select(Body));
        Assert.Equal(2, connections.Count);
        Assert.Equal(CloseReason.ServerClose, connections[0].CloseReason);
        Assert.Equal(connections[1].LocalPort, secondPort);
        // Only connection 2's own socket: connection 1's was closed before its slot went to /b.
        Assert.Equal([connections[1].LocalPort], openAtSecondAccept);
        Assert.Equal(0, ClientSockets.CountOpen(connections.Select(c => c.LocalPort)));
    }

    [Fact]
    public async Task A_pipelined_request_left_unanswered_is_retried_exactly_once_on_the_connection_that_then_carries_it()
    {
        // Depth 3, one per host: /a opens connection 1, /b and /c are pipelined behind its response. The server reads
        // both before it answers /b with "Connection: close" and closes without answering /c.
        await using var server = new ScriptedServer(async c =>
        {
            if (c.Index == 1)
            {
                await c.WriteAsync(Ok((await c.ReadRequestAsync())!));
                var b = await c.ReadRequestAsync();
                var cRequest = await c.ReadRequestAsync();
                await c.WriteAsync(Ok(b!, "Connection: close\r\n"));
                c.ShutdownSend();
                await c.ReadToEndAsync(TimeSpan.FromSeconds(15));
                return;
            }

            while (await c.ReadRequestAsync() is { } next)
                await c.WriteAsync(Ok(next));
        });
        var options = Sites.Options(ConnectionStrategy.Pipelined, perHost: 1) with { PipelineDepth = 3 };

        var (results, connections) = await RunAsync([server.Url("/a"), server.Url("/b"), server.Url("/c")], together: true, options);

        Assert.Equal(["/a", "/b", "/c"], results.Select(Body));
        // Written in the order the pool handed them out: /c went behind /b, so /c is the one left unanswered.
        Assert.Equal(["/a", "/b", "/c", "/c"], server.Requests.Select(r => r.Target));
        Assert.Equal([0, 0, 1], results.Select(r => r.Retries));
        var retried = results[2];
        // The object names the connection that carried its answer, not the one that died under it.
        Assert.Equal(2, retried.ConnectionId);
        Assert.False(retried.ReusedConnection);
        Assert.Equal(2, connections.Count);
        Assert.Equal(server.Requests.Last().RemotePort, connections[1].LocalPort);
        Assert.Equal((2, CloseReason.ServerClose), (connections[0].Requests, connections[0].CloseReason!.Value));
        Assert.Equal(1, connections[1].Requests);
    }

    /// <summary>
    /// Apache's Keep-Alive: every response on a connection says <c>Keep-Alive: timeout=5, max=N</c> with N the requests
    /// still allowed after it (MaxKeepAliveRequests 4: max=4, 3, 2, 1), the next one is answered with
    /// <c>Connection: close</c> and the connection ends. On connection 1 the second response waits until two more
    /// requests are pipelined behind it, so the client hears "max" with requests already in flight.
    /// </summary>
    private static ScriptedServer ApacheKeepAlive(int maxKeepAliveRequests, int pipelinedBeforeSecondResponse) =>
        new(async c =>
        {
            var pending = new Queue<ReceivedRequest>();
            for (var answered = 0; ; answered++)
            {
                if (pending.Count == 0 && await c.ReadRequestAsync() is { } read)
                    pending.Enqueue(read);
                if (pending.Count == 0)
                    return;
                if (c.Index == 1 && answered == 1)
                {
                    while (pending.Count < 1 + pipelinedBeforeSecondResponse && await c.ReadRequestAsync() is { } more)
                        pending.Enqueue(more);
                }

                var request = pending.Dequeue();
                var left = maxKeepAliveRequests - answered;
                if (left <= 0 || string.Equals(request.Header("Connection"), "close", StringComparison.OrdinalIgnoreCase))
                {
                    await c.WriteAsync(Ok(request, "Connection: close\r\n"));
                    c.ShutdownSend();
                    await c.ReadToEndAsync(TimeSpan.FromSeconds(15));
                    return;
                }

                await c.WriteAsync(Ok(request, string.Create(CultureInfo.InvariantCulture, $"Keep-Alive: timeout=5, max={left}\r\n")));
            }
        });

    [Fact]
    public async Task Keep_Alive_max_counts_the_requests_already_in_flight_when_pipelining_and_the_last_is_written_last()
    {
        // MaxKeepAliveRequests 4: five requests per connection. After /1 says max=4 the client pipelines /2, /3, /4
        // (depth 3); /2's max=3 arrives with /3 and /4 in flight, so exactly one more (/5) may go, and it says close.
        // Ignoring the in-flight two would send /6 and /7 too, which the server never answers: they would be retried.
        await using var server = ApacheKeepAlive(maxKeepAliveRequests: 4, pipelinedBeforeSecondResponse: 2);
        var options = Sites.Options(ConnectionStrategy.Pipelined, perHost: 1) with { PipelineDepth = 3 };
        var urls = Enumerable.Range(1, 7).Select(i => server.Url($"/{i}")).ToList();

        var (results, connections) = await RunAsync(urls, together: true, options);

        Assert.All(results, r => Assert.Null(r.Error));
        Assert.Equal(urls.Select(u => u.AbsolutePath), results.Select(Body));
        Assert.All(results, r => Assert.Equal(0, r.Retries));
        Assert.Equal([1, 1, 1, 1, 1, 2, 2], results.Select(r => r.ConnectionId!.Value));
        Assert.Equal(2, connections.Count);
        Assert.Equal((5, CloseReason.KeepAliveMax), (connections[0].Requests, connections[0].CloseReason!.Value));
        Assert.Equal(new KeepAliveRecord(5, 1), connections[0].KeepAlive);
        Assert.Equal(2, connections[1].Requests);
        // Each request was sent once, and only the connection's last said close.
        var byConnection = server.Requests.GroupBy(r => r.ConnectionIndex).ToList();
        Assert.Equal([5, 2], byConnection.Select(g => g.Count()));
        Assert.Equal(["keep-alive", "keep-alive", "keep-alive", "keep-alive", "close"], byConnection[0].Select(r => r.Header("Connection")));
        // Pipelined requests go out in the order the pool handed them out, so the one that says close is last on the wire.
        Assert.Equal(["/1", "/2", "/3", "/4", "/5"], byConnection[0].Select(r => r.Target));
    }

    [Fact]
    public async Task Keep_Alive_max_on_a_persistent_connection_gives_each_connection_exactly_its_allowance()
    {
        // The same server without pipelining: one at a time, five per connection, the fifth says close; 12 requests.
        await using var server = ApacheKeepAlive(maxKeepAliveRequests: 4, pipelinedBeforeSecondResponse: 0);
        var urls = Enumerable.Range(1, 12).Select(i => server.Url($"/{i}")).ToList();

        var (results, connections) = await RunAsync(urls, together: true);

        Assert.Equal(urls.Select(u => u.AbsolutePath), results.Select(Body));
        Assert.All(results, r => Assert.Equal(0, r.Retries));
        Assert.Equal([5, 5, 2], connections.Select(c => c.Requests));
        Assert.Equal([CloseReason.KeepAliveMax, CloseReason.KeepAliveMax, CloseReason.PageDone], connections.Select(c => c.CloseReason!.Value));
        Assert.Equal([5, 5, 2], server.Requests.GroupBy(r => r.ConnectionIndex).Select(g => g.Count()));
        Assert.All(server.Requests.GroupBy(r => r.ConnectionIndex).Take(2), g => Assert.Equal("close", g.Last().Header("Connection")));
    }
}
