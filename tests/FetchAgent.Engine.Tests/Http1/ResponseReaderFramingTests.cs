using System.Text;
using FetchAgent.Engine.Http1;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Http1;

/// <summary>RFC 9112 §6.3 message body length over real sockets, whole and split at every byte.</summary>
public sealed class ResponseReaderFramingTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ContentLengthBody(bool byteByByte)
    {
        const string response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world";
        await using var server = Respond.With(response, byteByByte);
        await using var client = await Http1TestClient.ConnectAsync(server);

        var (head, body) = await client.ExchangeAsync();

        Assert.Equal(200, head.StatusCode);
        Assert.Equal("OK", head.ReasonPhrase);
        Assert.Equal("HTTP/1.1", head.Version);
        Assert.Equal("text/plain", head.Get("content-type"));
        Assert.Equal(response.Length - 11, head.HeaderBytes);
        Assert.Equal(BodyFraming.ContentLength, body.Framing);
        Assert.Equal(11, body.WireBytes);
        Assert.Equal("hello world", Respond.Text(body));
        Assert.False(client.Reader.HasBufferedData);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ChunkedBodyWithExtensionsAndTrailers(bool byteByByte)
    {
        const string response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n"
            + "5;name=value\r\nhello\r\n"
            + "6 ; quoted=\"a;b\\\"c\" ;flag\r\n world\r\n"
            + "A\r\n0123456789\r\n"
            + "0;last=yes\r\nX-Checksum: abc\r\nX-Other:  two  \r\n\r\n";
        await using var server = Respond.With(response, byteByByte);
        await using var client = await Http1TestClient.ConnectAsync(server);

        var (_, body) = await client.ExchangeAsync();

        Assert.Equal(BodyFraming.Chunked, body.Framing);
        Assert.Equal("hello world0123456789", Respond.Text(body));
        Assert.Equal(21, body.WireBytes);
        Assert.Equal([new HeaderField("X-Checksum", "abc"), new HeaderField("X-Other", "two")], body.Trailers);
        Assert.False(client.Reader.HasBufferedData);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CloseDelimitedBody(bool byteByByte)
    {
        await using var server = Respond.With("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>until the end</p>", byteByByte);
        await using var client = await Http1TestClient.ConnectAsync(server);

        var (head, body) = await client.ExchangeAsync();

        Assert.Equal(BodyFraming.CloseDelimited, body.Framing);
        Assert.Equal("<p>until the end</p>", Respond.Text(body));
        Assert.False(ConnectionPersistence.IsPersistent(head, body.Framing));
    }

    [Theory]
    [InlineData("HEAD", "200 OK")]
    [InlineData("GET", "204 No Content")]
    [InlineData("GET", "304 Not Modified")]
    public async Task NoBodyDespiteContentLength(string method, string status)
    {
        // The second response follows at once: had the reader taken 100 body bytes, it would not parse.
        var response = $"HTTP/1.1 {status}\r\nContent-Length: 100\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        await using var server = new ScriptedServer(async c =>
        {
            await c.ReadRequestAsync();
            await c.ReadRequestAsync();
            await c.WriteAsync(response);
            await c.ReadToEndAsync(TimeSpan.FromSeconds(20));
        });
        await using var client = await Http1TestClient.ConnectAsync(server);
        await client.SendAsync(method);
        await client.SendAsync();

        var (head, body) = await client.ReadResponseAsync(method);
        Assert.Equal(BodyFraming.None, body.Framing);
        Assert.Equal(0, body.WireBytes);
        Assert.True(body.Content.IsEmpty);
        Assert.Equal(head.FirstByteTimestamp, body.LastByteTimestamp);

        var (_, second) = await client.ReadResponseAsync();
        Assert.Equal("ok", Respond.Text(second));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InterimResponsesAreSkipped(bool byteByByte)
    {
        const string final = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n";
        var response = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n" + final + "abc";
        await using var server = Respond.With(response, byteByByte);
        await using var client = await Http1TestClient.ConnectAsync(server);

        var (head, body) = await client.ExchangeAsync();

        Assert.Equal(200, head.StatusCode);
        Assert.Null(head.Get("Link"));
        Assert.Equal(final.Length, head.HeaderBytes);
        Assert.Equal("abc", Respond.Text(body));
    }

    [Fact]
    public async Task FirstByteTimestampIsThatOfTheFirstInterimResponse()
    {
        var time = new SteppingTimeProvider();
        await using var server = new ScriptedServer(async c =>
        {
            await c.ReadRequestAsync();
            await c.WriteAsync("HTTP/1.1 103 Early Hints\r\n\r\n");
            await Task.Delay(100);
            await c.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
            await c.ReadToEndAsync(TimeSpan.FromSeconds(20));
        });
        await using var client = await Http1TestClient.ConnectAsync(server, time);

        var (head, body) = await client.ExchangeAsync();

        Assert.Equal(1, head.FirstByteTimestamp);
        Assert.True(body.LastByteTimestamp > head.FirstByteTimestamp);
    }

    [Fact]
    public async Task SwitchingProtocolsIsFinal()
    {
        await using var server = Respond.With("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
        await using var client = await Http1TestClient.ConnectAsync(server);

        var (head, body) = await client.ExchangeAsync();

        Assert.Equal(101, head.StatusCode);
        Assert.Equal(BodyFraming.None, body.Framing);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TransferEncodingWinsOverContentLength(bool byteByByte)
    {
        const string response = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
        await using var server = Respond.With(response, byteByByte);
        await using var client = await Http1TestClient.ConnectAsync(server);

        var (_, body) = await client.ExchangeAsync();

        Assert.Equal(BodyFraming.Chunked, body.Framing);
        Assert.Equal("hello", Respond.Text(body));
    }

    [Fact]
    public async Task TransferEncodingWithoutFinalChunkedIsCloseDelimited()
    {
        // RFC 9112 §6.3 rule 4: without chunked last (and without Content-Length) only the close ends the body.
        await using var server = Respond.With("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n5\r\nhello");
        await using var client = await Http1TestClient.ConnectAsync(server);

        var (_, body) = await client.ExchangeAsync();

        Assert.Equal(BodyFraming.CloseDelimited, body.Framing);
        Assert.Equal("5\r\nhello", Respond.Text(body));
    }

    [Theory]
    [InlineData("Content-Length: 10, 10\r\n")]
    [InlineData("Content-Length: 10\r\nContent-Length: 10\r\n")]
    [InlineData("Content-Length: 10,10,\r\ncontent-length: 10\r\n")]
    public async Task IdenticalContentLengthsAreOneLength(string fields)
    {
        await using var server = Respond.With($"HTTP/1.1 200 OK\r\n{fields}\r\n0123456789");
        await using var client = await Http1TestClient.ConnectAsync(server);

        var (_, body) = await client.ExchangeAsync();

        Assert.Equal(BodyFraming.ContentLength, body.Framing);
        Assert.Equal("0123456789", Respond.Text(body));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BareLineFeedsAndObsFold(bool byteByByte)
    {
        const string response = "HTTP/1.1 200 OK\nX-Folded: first\n \t second\nContent-Length: 2\n\nok";
        await using var server = Respond.With(response, byteByByte);
        await using var client = await Http1TestClient.ConnectAsync(server);

        var (head, body) = await client.ExchangeAsync();

        // RFC 9112 §5.2: a user agent replaces obs-fold with SP.
        Assert.Equal("first second", head.Get("X-Folded"));
        Assert.Equal(response.Length - 2, head.HeaderBytes);
        Assert.Equal("ok", Respond.Text(body));
    }

    [Theory]
    [InlineData("HTTP/1.1 404\r\n", 404, "")]
    [InlineData("HTTP/1.1 200 \r\n", 200, "")]
    [InlineData("HTTP/1.0 503 Service  Unavailable\r\n", 503, "Service  Unavailable")]
    public async Task StatusLines(string statusLine, int status, string reason)
    {
        await using var server = Respond.With(statusLine + "Content-Length: 0\r\n\r\n");
        await using var client = await Http1TestClient.ConnectAsync(server);

        var (head, _) = await client.ExchangeAsync();

        Assert.Equal(status, head.StatusCode);
        Assert.Equal(reason, head.ReasonPhrase);
    }

    [Fact]
    public async Task KeepContentFalseCountsButKeepsNothing()
    {
        var payload = new string('x', 100_000);
        await using var server = new ScriptedServer(async c =>
        {
            for (var i = 0; i < 3; i++)
            {
                await c.ReadRequestAsync();
                var response = i switch
                {
                    0 => $"HTTP/1.1 200 OK\r\nContent-Length: {payload.Length}\r\n\r\n{payload}",
                    1 => $"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{payload.Length:x}\r\n{payload}\r\n0\r\n\r\n",
                    _ => $"HTTP/1.1 200 OK\r\n\r\n{payload}",
                };
                await c.WriteAsync(response);
            }

            c.ShutdownSend();
            await c.ReadToEndAsync(TimeSpan.FromSeconds(20));
        });
        await using var client = await Http1TestClient.ConnectAsync(server);
        var discard = new BodyReadOptions(1024 * 1024, KeepContent: false);

        foreach (var framing in new[] { BodyFraming.ContentLength, BodyFraming.Chunked, BodyFraming.CloseDelimited })
        {
            var (_, body) = await client.ExchangeAsync(options: discard);
            Assert.Equal(framing, body.Framing);
            Assert.Equal(payload.Length, body.WireBytes);
            Assert.True(body.Content.IsEmpty);
        }
    }

    [Fact]
    public async Task KeepContentReturnsExactlyTheBodyBytes()
    {
        var payload = new byte[300_000];
        new Random(7).NextBytes(payload);
        await using var server = new ScriptedServer(async c =>
        {
            await c.ReadRequestAsync();
            await c.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{payload.Length:x}\r\n"));
            await c.WriteAsync(payload);
            await c.WriteAsync("\r\n0\r\n\r\n");
            await c.ReadRequestAsync();
            await c.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {payload.Length}\r\n\r\n"));
            await c.WriteAsync(payload);
            await c.ReadToEndAsync(TimeSpan.FromSeconds(20));
        });
        await using var client = await Http1TestClient.ConnectAsync(server);

        var (_, chunked) = await client.ExchangeAsync();
        var (_, sized) = await client.ExchangeAsync();

        Assert.Equal(payload, chunked.Content.ToArray());
        Assert.Equal(payload, sized.Content.ToArray());
        Assert.Equal(payload.Length, sized.WireBytes);
    }
}
