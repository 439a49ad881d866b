using System.Text;
using FetchAgent.Engine.Http1;

namespace FetchAgent.Engine.Tests.Http1;

/// <summary>The body observer sees exactly the body, de-chunked, as it arrives, for every framing; its failure is not the exchange's.</summary>
public sealed class ResponseReaderObserverTests
{
    public static TheoryData<string, bool, bool> Framings()
    {
        var data = new TheoryData<string, bool, bool>();
        foreach (var response in new[]
                 {
                     "HTTP/1.1 200 OK\r\nContent-Length: 21\r\n\r\nhello world0123456789",
                     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n6\r\n world\r\nA\r\n0123456789\r\n0\r\nX-T: 1\r\n\r\n",
                     "HTTP/1.1 200 OK\r\n\r\nhello world0123456789",
                 })
        {
            foreach (var byteByByte in new[] { false, true })
            {
                foreach (var keep in new[] { false, true })
                    data.Add(response, byteByByte, keep);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Framings))]
    public async Task Sees_every_body_byte_once_in_order_and_nothing_of_the_framing(string response, bool byteByByte, bool keepContent)
    {
        await using var server = Respond.With(response, byteByByte);
        await using var client = await Http1TestClient.ConnectAsync(server);
        var seen = new StringBuilder();
        var calls = 0;
        ResponseHead? observedHead = null;
        var options = new BodyReadOptions(1024, keepContent)
        {
            Observer = (head, bytes) =>
            {
                observedHead = head;
                calls++;
                seen.Append(Encoding.Latin1.GetString(bytes));
            },
        };

        var (head, body) = await client.ExchangeAsync(options: options);

        Assert.Equal("hello world0123456789", seen.ToString());
        Assert.Same(head, observedHead);
        Assert.Equal(21, body.WireBytes);
        Assert.True(calls >= 1);
    }

    [Theory]
    [InlineData("Content-Length: 11\r\n", "hello", " world")]
    [InlineData("Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n", "6\r\n world\r\n0\r\n\r\n")]
    [InlineData("", "hello", " world")]
    public async Task Sees_the_first_part_while_the_server_still_holds_the_rest(string framing, string first, string rest)
    {
        // The server sends the rest only once the observer has seen "hello": the read finishes only if it was seen mid-body.
        var sawFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new FetchAgent.TestServers.ScriptedServer(async connection =>
        {
            await connection.ReadRequestAsync();
            await connection.WriteAsync($"HTTP/1.1 200 OK\r\n{framing}\r\n{first}");
            await sawFirst.Task.WaitAsync(TimeSpan.FromSeconds(10));
            await connection.WriteAsync(rest);
            connection.ShutdownSend();
            await connection.ReadToEndAsync(TimeSpan.FromSeconds(10));
        });
        await using var client = await Http1TestClient.ConnectAsync(server);
        var seen = new StringBuilder();
        var options = new BodyReadOptions(1024, KeepContent: true)
        {
            Observer = (_, bytes) =>
            {
                seen.Append(Encoding.Latin1.GetString(bytes));
                if (seen.ToString() == "hello")
                    sawFirst.TrySetResult();
            },
        };

        var (_, body) = await client.ExchangeAsync(options: options);

        Assert.Equal("hello world", seen.ToString());
        Assert.Equal("hello world", Respond.Text(body));
    }

    [Fact]
    public async Task An_observer_that_throws_is_dropped_and_the_body_is_still_read_whole()
    {
        await using var server = Respond.With("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world", byteByByte: true);
        await using var client = await Http1TestClient.ConnectAsync(server);
        var calls = 0;
        var options = new BodyReadOptions(1024, KeepContent: true) { Observer = (_, _) => { calls++; throw new InvalidOperationException("observer bug"); } };

        var (_, body) = await client.ExchangeAsync(options: options);

        Assert.Equal("hello world", Respond.Text(body));
        Assert.Equal(1, calls);
    }
}
