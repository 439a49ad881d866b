using FetchAgent.Engine.Http1;
using FetchAgent.TestServers;
using HttpProtocolException = FetchAgent.Engine.Http1.HttpProtocolException;

namespace FetchAgent.Engine.Tests.Http1;

/// <summary>Every rejection, with the exact error text an object reports.</summary>
public sealed class ResponseReaderErrorTests
{
    private static async Task<HttpProtocolException> FailsAsync(string response, BodyReadOptions? options = null, bool byteByByte = false)
    {
        await using var server = Respond.With(response, byteByByte);
        await using var client = await Http1TestClient.ConnectAsync(server);
        return await Assert.ThrowsAsync<HttpProtocolException>(() => client.ExchangeAsync(options: options));
    }

    [Theory]
    [InlineData("Content-Length: 10\r\nContent-Length: 12\r\n")]
    [InlineData("Content-Length: 10, 12\r\n")]
    public async Task DifferingContentLengthsConflict(string fields)
    {
        var error = await FailsAsync($"HTTP/1.1 200 OK\r\n{fields}\r\n0123456789ab");
        Assert.Equal(ResponseRejection.ConflictingContentLength, error.Reason);
        Assert.Equal("conflicting Content-Length: 10 and 12", error.Message);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData("1 0")]
    [InlineData("99999999999999999999x")]
    public async Task InvalidContentLength(string value)
    {
        var error = await FailsAsync($"HTTP/1.1 200 OK\r\nContent-Length: {value}\r\n\r\n");
        Assert.Equal(ResponseRejection.InvalidContentLength, error.Reason);
        Assert.StartsWith("invalid Content-Length", error.Message);
    }

    [Theory]
    [InlineData("9223372036854775808")] // long.MaxValue + 1
    [InlineData("99999999999999999999")]
    [InlineData("18446744073709551616, 18446744073709551616")]
    public async Task ContentLengthPast64BitsIsTooLargeNotInvalid(string value)
    {
        var error = await FailsAsync($"HTTP/1.1 200 OK\r\nContent-Length: {value}\r\n\r\n");
        Assert.Equal(ResponseRejection.ContentLengthTooLarge, error.Reason);
        Assert.Equal($"Content-Length too large: {value.Split(", ")[0]}", error.Message);
    }

    [Fact]
    public async Task ContentLengthOfExactlyLongMaxValueIsParsedAndRefusedAsOverTheBodyLimit()
    {
        var error = await FailsAsync("HTTP/1.1 200 OK\r\nContent-Length: 9223372036854775807\r\n\r\n");
        Assert.Equal(ResponseRejection.BodyTooLarge, error.Reason);
        Assert.Equal("body too large: over 1048576 bytes", error.Message);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("chunked, gzip")]
    [InlineData("identity")]
    public async Task TransferEncodingWithoutFinalChunkedBesideContentLengthFailsAtOnce(string codings)
    {
        // RFC 9112 §6.3 rule 3: "ought to be handled as an error". The server keeps the connection open: the failure
        // must come from the head, not from the object's deadline (the client's token would fire after 20 s).
        await using var server = new ScriptedServer(async c =>
        {
            await c.ReadRequestAsync();
            await c.WriteAsync($"HTTP/1.1 200 OK\r\nTransfer-Encoding: {codings}\r\nContent-Length: 5\r\n\r\nhello");
            await c.ReadToEndAsync(TimeSpan.FromSeconds(20));
        });
        await using var client = await Http1TestClient.ConnectAsync(server);

        var error = await Assert.ThrowsAsync<HttpProtocolException>(() => client.ExchangeAsync());

        Assert.Equal(ResponseRejection.TransferEncodingWithContentLength, error.Reason);
        var last = codings.Split(", ")[^1];
        Assert.Equal($"invalid framing: Transfer-Encoding {last} (not chunked last) with Content-Length", error.Message);
    }

    [Fact]
    public async Task ResetInsideACloseDelimitedBodyIsNotTheEndOfTheBody()
    {
        // Only a FIN ends a close-delimited body (RFC 9112 §6.3 rule 8); a reset is a failure with the bytes so far.
        await using var server = new ScriptedServer(async c =>
        {
            await c.ReadRequestAsync();
            await c.WriteAsync("HTTP/1.1 200 OK\r\n\r\n0123456789");
            // Linux delivers the bytes queued before a RST, then ECONNRESET: the client sees 10 bytes, then the reset.
            c.Reset();
        });
        await using var client = await Http1TestClient.ConnectAsync(server);

        var error = await Assert.ThrowsAsync<HttpProtocolException>(() => client.ExchangeAsync());

        Assert.Equal(ResponseRejection.Truncated, error.Reason);
        Assert.Equal("truncated: connection reset after 10 bytes", error.Message);
        Assert.Equal(10, error.BodyBytesSoFar);
    }

    [Theory]
    [InlineData("zz\r\n")]
    [InlineData("\r\n")]
    [InlineData("1g\r\nx\r\n")]
    [InlineData("-1\r\n")]
    public async Task InvalidChunkSize(string chunks)
    {
        var error = await FailsAsync("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks);
        Assert.Equal(ResponseRejection.InvalidChunkSize, error.Reason);
        Assert.Equal("invalid chunk size", error.Message);
    }

    [Fact]
    public async Task ChunkSizeOverflow()
    {
        var error = await FailsAsync("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n10000000000000000\r\n");
        Assert.Equal(ResponseRejection.ChunkSizeOverflow, error.Reason);
        Assert.Equal("chunk size overflow", error.Message);
        Assert.Equal(3, error.BodyBytesSoFar);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MissingCrlfAfterChunkData(bool byteByByte)
    {
        var error = await FailsAsync("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n", byteByByte: byteByByte);
        Assert.Equal(ResponseRejection.InvalidChunkData, error.Reason);
        Assert.Equal("invalid chunk data: missing CRLF", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TruncatedContentLengthBody(bool byteByByte)
    {
        var error = await FailsAsync("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789", byteByByte: byteByByte);
        Assert.Equal(ResponseRejection.Truncated, error.Reason);
        Assert.Equal("truncated: 10 of 100 bytes", error.Message);
        Assert.Equal(10, error.BodyBytesSoFar);
    }

    [Fact]
    public async Task TruncatedContentLengthBodyWithoutKeepingContent()
    {
        var error = await FailsAsync("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789", new BodyReadOptions(1000, KeepContent: false));
        Assert.Equal("truncated: 10 of 100 bytes", error.Message);
        Assert.Equal(10, error.BodyBytesSoFar);
    }

    [Theory]
    [InlineData("5\r\nhello\r\n7\r\nwor")]
    [InlineData("5\r\nhello\r\n7\r\nworld!!\r\n")]
    [InlineData("5\r\nhello\r\n7\r\nworld!!\r\n0\r\nX-Trailer: 1\r\n")]
    public async Task TruncatedChunkedBody(string chunks)
    {
        var error = await FailsAsync("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks);
        Assert.Equal(ResponseRejection.Truncated, error.Reason);
        var expected = chunks.Contains("!!") ? 12 : 8;
        Assert.Equal($"truncated: chunked body ended after {expected} bytes", error.Message);
        Assert.Equal(expected, error.BodyBytesSoFar);
    }

    [Fact]
    public async Task HeaderSectionOfExactlyTheLimitIsAccepted()
    {
        // 17 (status line) + 19 (Content-Length) + 10 + n (X-Fill) + 2 (empty line) = 65536.
        var head = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Fill: " + new string('a', 65536 - 48) + "\r\n\r\n";
        await using var server = Respond.With(head);
        await using var client = await Http1TestClient.ConnectAsync(server);

        var (response, _) = await client.ExchangeAsync();

        Assert.Equal(65536, response.HeaderBytes);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(70)]
    public async Task HeaderSectionOverTheLimit(int fields)
    {
        // One huge line, or many ordinary ones: both pass 64 KiB by one byte at least.
        var filler = string.Concat(Enumerable.Range(0, fields).Select(i => $"X-Fill-{i:D3}: {new string('a', (65536 / fields) - 10)}\r\n"));
        var error = await FailsAsync("HTTP/1.1 200 OK\r\n" + filler + "Content-Length: 0\r\n\r\n");
        Assert.Equal(ResponseRejection.HeaderSectionTooLarge, error.Reason);
        Assert.Equal("header section too large: over 65536 bytes", error.Message);
    }

    [Fact]
    public async Task ContentLengthOverTheMaximumFailsAtOnce()
    {
        var error = await FailsAsync("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + new string('x', 100), new BodyReadOptions(50, true));
        Assert.Equal(ResponseRejection.BodyTooLarge, error.Reason);
        Assert.Equal("body too large: over 50 bytes", error.Message);
    }

    [Fact]
    public async Task ChunkedBodyOverTheMaximum()
    {
        var chunk = "28\r\n" + new string('x', 40) + "\r\n";
        var error = await FailsAsync("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk + "0\r\n\r\n", new BodyReadOptions(50, true));
        Assert.Equal(ResponseRejection.BodyTooLarge, error.Reason);
        Assert.Equal("body too large: over 50 bytes", error.Message);
        Assert.Equal(40, error.BodyBytesSoFar);
    }

    [Fact]
    public async Task CloseDelimitedBodyOverTheMaximum()
    {
        var error = await FailsAsync("HTTP/1.1 200 OK\r\n\r\n" + new string('x', 100), new BodyReadOptions(50, false));
        Assert.Equal(ResponseRejection.BodyTooLarge, error.Reason);
        Assert.Equal("body too large: over 50 bytes", error.Message);
    }

    [Fact]
    public async Task EndOfStreamBeforeAnyByte()
    {
        await using var server = new ScriptedServer(async c =>
        {
            await c.ReadRequestAsync();
            c.ShutdownSend();
            await c.ReadToEndAsync(TimeSpan.FromSeconds(20));
        });
        await using var client = await Http1TestClient.ConnectAsync(server);

        var error = await Assert.ThrowsAsync<HttpProtocolException>(() => client.ExchangeAsync());

        Assert.Equal(ResponseRejection.ClosedBeforeResponse, error.Reason);
        Assert.Equal("connection closed before any response byte", error.Message);
    }

    [Fact]
    public async Task ResetBeforeAnyByte()
    {
        await using var server = new ScriptedServer(async c =>
        {
            await c.ReadRequestAsync();
            c.Reset();
        });
        await using var client = await Http1TestClient.ConnectAsync(server);

        var error = await Assert.ThrowsAsync<HttpProtocolException>(() => client.ExchangeAsync());

        Assert.Equal(ResponseRejection.ClosedBeforeResponse, error.Reason);
        Assert.Equal("connection reset before any response byte", error.Message);
        Assert.NotNull(error.InnerException);
    }

    [Theory]
    [InlineData("H")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n")]
    [InlineData("HTTP/1.1 100 Continue\r\n\r\n")]
    public async Task EndOfStreamInsideTheHead(string partial)
    {
        var error = await FailsAsync(partial);
        Assert.Equal(ResponseRejection.Truncated, error.Reason);
        Assert.Equal("truncated: response head incomplete", error.Message);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-Space : x\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nNoColon\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\n folded-first: x\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-Cr: a\rb\r\n\r\n")]
    public async Task InvalidFieldLines(string response)
    {
        var error = await FailsAsync(response);
        Assert.Equal(ResponseRejection.InvalidHeaderLine, error.Reason);
        Assert.Equal("invalid header line", error.Message);
    }

    [Theory]
    [InlineData("HTTP/2.0 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 20 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 099 Low\r\n\r\n")]
    [InlineData("HTTP/1.1 200OK\r\n\r\n")]
    [InlineData("<html>hello</html>\r\n\r\n")]
    public async Task InvalidStatusLines(string response)
    {
        var error = await FailsAsync(response);
        Assert.Equal(ResponseRejection.InvalidStatusLine, error.Reason);
        Assert.Equal("invalid status line", error.Message);
    }

    [Fact]
    public async Task CancellationPropagates()
    {
        await using var server = new ScriptedServer(async c =>
        {
            await c.ReadRequestAsync();
            await c.ReadToEndAsync(TimeSpan.FromSeconds(20));
        });
        await using var client = await Http1TestClient.ConnectAsync(server);
        await client.SendAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.Reader.ReadHeadAsync(cancel.Token).AsTask());
    }
}
