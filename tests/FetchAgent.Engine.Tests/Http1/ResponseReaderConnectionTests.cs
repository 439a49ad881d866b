using FetchAgent.Engine.Http1;
using FetchAgent.TestServers;
using HttpProtocolException = FetchAgent.Engine.Http1.HttpProtocolException;

namespace FetchAgent.Engine.Tests.Http1;

/// <summary>Several responses on one connection: leftovers, pipelining, timestamps.</summary>
public sealed class ResponseReaderConnectionTests
{
    [Fact]
    public async Task TwoResponsesInOneWriteAreReadOneAfterTheOther()
    {
        const string both = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst"
            + "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nsecond\r\n0\r\n\r\n";
        var time = new SteppingTimeProvider();
        await using var server = new ScriptedServer(async c =>
        {
            await c.ReadRequestAsync();
            await c.ReadRequestAsync();
            await c.WriteAsync(both);
            await c.ReadToEndAsync(TimeSpan.FromSeconds(20));
        });
        await using var client = await Http1TestClient.ConnectAsync(server, time);
        await client.SendAsync(path: "/a");
        await client.SendAsync(path: "/b");

        var (head1, body1) = await client.ReadResponseAsync();
        Assert.True(client.Reader.HasBufferedData);
        var (head2, body2) = await client.ReadResponseAsync();

        Assert.Equal("first", Respond.Text(body1));
        Assert.Equal(404, head2.StatusCode);
        Assert.Equal("second", Respond.Text(body2));
        Assert.True(head2.FirstByteTimestamp >= head1.FirstByteTimestamp);
        Assert.True(head2.FirstByteTimestamp >= body1.LastByteTimestamp);
        Assert.False(client.Reader.HasBufferedData);
        Assert.Equal(["/a", "/b"], server.Requests.Select(r => r.Target));
    }

    [Fact]
    public async Task PipelinedResponsesSplitAtEveryByte()
    {
        const string three = "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na"
            + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nb\r\n0\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nc";
        await using var server = new ScriptedServer(async c =>
        {
            for (var i = 0; i < 3; i++)
                await c.ReadRequestAsync();
            await Respond.WriteAsync(c, three, byteByByte: true);
            await c.ReadToEndAsync(TimeSpan.FromSeconds(20));
        });
        await using var client = await Http1TestClient.ConnectAsync(server);
        for (var i = 0; i < 3; i++)
            await client.SendAsync();

        var texts = new List<string>();
        for (var i = 0; i < 3; i++)
            texts.Add(Respond.Text((await client.ReadResponseAsync()).Body));

        Assert.Equal(["a", "b", "c"], texts);
    }

    [Fact]
    public async Task LaterResponseGetsTheTimestampOfTheReadThatBroughtIt()
    {
        var time = new SteppingTimeProvider();
        await using var server = new ScriptedServer(async c =>
        {
            await c.ReadRequestAsync();
            await c.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            await c.ReadRequestAsync();
            await c.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            await c.ReadToEndAsync(TimeSpan.FromSeconds(20));
        });
        await using var client = await Http1TestClient.ConnectAsync(server, time);

        var (head1, body1) = await client.ExchangeAsync();
        Assert.False(client.Reader.HasBufferedData);
        var (head2, body2) = await client.ExchangeAsync();

        Assert.True(head1.FirstByteTimestamp <= body1.LastByteTimestamp);
        Assert.True(head2.FirstByteTimestamp > body1.LastByteTimestamp);
        Assert.True(body2.LastByteTimestamp >= head2.FirstByteTimestamp);
    }

    [Fact]
    public async Task ClosedIdleConnectionIsClosedBeforeResponseOnTheNextRequest()
    {
        // The pool's retry signal: a reused connection the server closed while idle.
        await using var server = new ScriptedServer(async c =>
        {
            await c.ReadRequestAsync();
            await c.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            c.ShutdownSend();
            await c.ReadToEndAsync(TimeSpan.FromSeconds(20));
        });
        await using var client = await Http1TestClient.ConnectAsync(server);
        await client.ExchangeAsync();

        var error = await Assert.ThrowsAsync<HttpProtocolException>(() => client.ExchangeAsync());

        Assert.Equal(ResponseRejection.ClosedBeforeResponse, error.Reason);
    }
}
