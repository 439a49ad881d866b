using System.Collections.Concurrent;
using FetchAgent.Engine.Connections;
using FetchAgent.Engine.Http2;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;

namespace FetchAgent.Engine.Tests.Http2;

/// <summary>
/// RFC 9113 §6.9: the client gives a stream's window back in one WINDOW_UPDATE once half of it was consumed (as
/// SocketsHttpHandler does), not one per DATA frame: the threshold, exactly.
/// </summary>
public sealed class WindowUpdateBatchingTests
{
    private const int Half = Http2Connection.StreamWindow / 2; // 3 MiB

    [Fact]
    public async Task A_stream_s_window_goes_back_in_one_update_when_half_of_it_was_consumed_and_not_a_byte_before()
    {
        var received = new ConcurrentQueue<Frame>();
        await using var server = H2Peer.Serve(async (peer, _, streamId, path) =>
        {
            if (path == "/")
            {
                await peer.RespondAsync(streamId, "text/html", "<!doctype html><img src=/a.png>");
                return;
            }

            await peer.HeadersAsync(streamId, 200, "image/png");
            // One byte short of half the window, in frames of the default SETTINGS_MAX_FRAME_SIZE; then a PING, which
            // the client answers once it handled every frame before it (its reader takes frames in order, and its
            // writes leave in the order they were queued).
            await SendDataAsync(peer, streamId, Half - 1);
            await peer.SendAsync(w => FrameWriter.WritePing(w, "counted1"u8, ack: false));
            // The byte that makes it half, then the last byte with END_STREAM (a stream that ended gets no update).
            await peer.DataAsync(streamId, [7], endStream: false);
            await peer.DataAsync(streamId, [7], endStream: true);
        }, received: received);

        var page = await new PageLoader().LoadAsync(server.Url("/"), Sites.Options(ConnectionStrategy.Multiplexed) with { Http2PriorKnowledge = true });
        Assert.Equal(PageLoadStatus.Completed, page.Status);
        await Connections.OriginPoolTests.WaitFor(() => received.Any(f => f.Type == FrameType.GoAway));

        var image = page.Objects.Single(o => o.Url.EndsWith("/a.png", StringComparison.Ordinal));
        Assert.Equal((200, (string?)null, (long)Half + 1), (image.Status ?? 0, image.Error, image.BodyBytes));
        // What the client sent after its SETTINGS: the connection's WINDOW_UPDATE (15 MiB), the SETTINGS ACK, then for
        // the image (stream 3) the PING's answer and only after it one WINDOW_UPDATE of exactly half the stream
        // window: not a byte before half was consumed, nothing per DATA frame. The connection's window (15 MiB and
        // the initial 64 KiB) was never half consumed, so it got no update of its own.
        var sent = received.Where(f => f.Type is FrameType.WindowUpdate or FrameType.Ping)
            .Select(f => (f.Type, f.StreamId, f.Type == FrameType.WindowUpdate ? FrameReader.ReadUInt32(f.Payload.Span) : 0u))
            .ToList();
        Assert.Equal([(FrameType.WindowUpdate, 0, (uint)Http2Connection.ConnectionWindowIncrement), (FrameType.Ping, 0, 0u), (FrameType.WindowUpdate, 3, (uint)Half)], sent);
    }

    private static async Task SendDataAsync(H2Peer peer, int streamId, int bytes)
    {
        var chunk = new byte[PeerSettings.DefaultMaxFrameSize];
        for (var left = bytes; left > 0; left -= chunk.Length)
            await peer.DataAsync(streamId, left >= chunk.Length ? chunk : chunk[..left], endStream: false);
    }
}
