using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FetchAgent.Engine.Connections;
using FetchAgent.Engine.Http1;
using FetchAgent.Engine.Http2;
using FetchAgent.Engine.Navigation;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Http2;

/// <summary>
/// The send side of an HTTP/2 connection: requests made while a write is in progress leave together, in one write,
/// and each one's <c>send</c> ends at a clock reading taken after the write that carried its HEADERS returned.
/// </summary>
public sealed class WriteCoalescingTests
{
    /// <summary>
    /// The client's socket stream, seen from inside: each write's bytes and the clock reading right after the socket
    /// took them; the first write (the connection preface) is held until the test lets it go.
    /// </summary>
    private sealed class WriteLog(Stream inner) : Stream
    {
        private int _count;

        public TaskCompletionSource FirstWriteStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource ReleaseFirstWrite { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public ConcurrentQueue<(byte[] Bytes, long ReturnedAt)> Writes { get; } = new();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _count) == 1)
            {
                FirstWriteStarted.TrySetResult();
                await ReleaseFirstWrite.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            }

            await inner.WriteAsync(buffer, cancellationToken);
            Writes.Enqueue((buffer.ToArray(), Stopwatch.GetTimestamp()));
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("the connection writes asynchronously");
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }

    private static async Task<(Http2Connection Connection, WriteLog Log, PageClock Clock)> ConnectAsync(ScriptedServer server)
    {
        var clock = new PageClock(TimeProvider.System);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var connectStart = clock.Now();
        await socket.ConnectAsync(server.EndPoint);
        var log = new WriteLog(new NetworkStream(socket, ownsSocket: false));
        var transport = new Transport
        {
            Socket = socket,
            Stream = log,
            LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!,
            RemoteEndPoint = (IPEndPoint)socket.RemoteEndPoint!,
            Attempt = new ConnectionAttempt { ConnectStart = connectStart, ConnectEnd = clock.Now() },
        };
        var connection = new Http2Connection(1, new Origin("http", "127.0.0.1", server.Port), transport, clock);
        return (connection, log, clock);
    }

    private static List<Frame> FramesOf(byte[] bytes)
    {
        var reader = new FrameReader(new MemoryStream(bytes));
        var frames = new List<Frame>();
        while (reader.ReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult() is { } frame)
            frames.Add(frame);
        return frames;
    }

    [Fact]
    public async Task Requests_made_while_a_write_is_in_progress_leave_in_one_write_and_their_send_ends_after_it()
    {
        await using var server = H2Peer.Serve((peer, _, streamId, path) => peer.RespondAsync(streamId, "text/plain", $"body of {path}"));
        var (connection, log, clock) = await ConnectAsync(server);
        try
        {
            // The preface's write is in progress (held): five requests made now queue behind it.
            await log.FirstWriteStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
            var exchanges = Enumerable.Range(0, 5).Select(i =>
            {
                var stamps = new TransactionTimestamps { Issued = clock.Now() };
                var request = new ExchangeRequest(server.Url($"/{i}"), "*/*", KeepContent: true);
                var lease = new Lease(connection, clock.Now(), LeaseSource.Opened, default);
                return (Stamps: stamps, Response: connection.ExchangeAsync(request, lease, 1 << 20, stamps, CancellationToken.None));
            }).ToList();
            Assert.Empty(log.Writes);
            log.ReleaseFirstWrite.TrySetResult();
            await Task.WhenAll(exchanges.Select(e => e.Response)).WaitAsync(TimeSpan.FromSeconds(30));

            var writes = log.Writes.ToList();
            // The preface, the SETTINGS and the connection's WINDOW_UPDATE in the first write (§3.4).
            Assert.True(writes[0].Bytes.AsSpan().StartsWith(FrameWriter.Preface));
            Assert.Equal([FrameType.Settings, FrameType.WindowUpdate], FramesOf(writes[0].Bytes[FrameWriter.Preface.Length..]).Select(f => f.Type));
            // All five HEADERS (END_STREAM, END_HEADERS) in the second, their stream ids rising in the order they were queued (§5.1.1).
            var second = FramesOf(writes[1].Bytes);
            Assert.Equal([(FrameType.Headers, 1), (FrameType.Headers, 3), (FrameType.Headers, 5), (FrameType.Headers, 7), (FrameType.Headers, 9)],
                second.Select(f => (f.Type, f.StreamId)));
            Assert.All(second, f => Assert.True(f.Has(FrameFlags.EndStream | FrameFlags.EndHeaders)));
            var decoder = new HpackDecoder();
            Assert.Equal(["/0", "/1", "/2", "/3", "/4"], second.Select(f => decoder.Decode(f.Payload.Span).Single(h => h.Name == ":path").Value));

            // Each stream's send ends at one clock reading, taken after the write that carried the five returned.
            var sendEnds = exchanges.Select(e => e.Stamps.SendEnd!.Value).Distinct().ToList();
            var sendEnd = Assert.Single(sendEnds);
            Assert.True(sendEnd >= writes[1].ReturnedAt, $"send ended at {sendEnd}, before its write returned at {writes[1].ReturnedAt}");
            foreach (var (exchange, i) in exchanges.Select((e, i) => (e, i)))
            {
                var response = await exchange.Response;
                Assert.Equal((200, $"body of /{i}"), (response.Head.StatusCode, System.Text.Encoding.UTF8.GetString(response.Body.Content.Span)));
            }
        }
        finally
        {
            log.ReleaseFirstWrite.TrySetResult();
            await connection.CloseAsync(Engine.Model.CloseReason.PageDone, graceful: true);
        }
    }

    [Fact]
    public void The_fields_are_HTTP_1_1_s_lower_cased_after_the_pseudo_header_fields_without_the_connection_specific_ones()
    {
        var url = new Uri("https://example.test:8443/a/b.css?v=1#top");
        var extra = new List<HeaderField> { new("Authorization", "Basic dTpw"), new("Connection", "close"), new("Upgrade", "h2c") };
        var request = new ExchangeRequest(url, "text/css,*/*;q=0.1", KeepContent: true) { ExtraHeaders = extra, Priority = "u=0" };

        var fields = Http2Connection.RequestFields(request).Select(f => (f.Name, f.Value)).ToList();

        // RFC 9113 §8.3.1: pseudo-header fields first; §8.2.2: no connection-specific field; Host becomes :authority.
        var http1 = RequestWriter.Headers(url, request.Accept, closeConnection: false, extra)
            .Where(f => f.Name is not ("Host" or "Connection" or "Upgrade"))
            .Select(f => (f.Name.ToLowerInvariant(), f.Value));
        Assert.Equal(
            [(":method", "GET"), (":scheme", "https"), (":authority", "example.test:8443"), (":path", "/a/b.css?v=1"), .. http1, ("priority", "u=0")],
            fields);
    }
}
