using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;
using FetchAgent.Engine.Http2;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Http2;

/// <summary>What the client says on the wire (SETTINGS, window updates, PING answers) and the phases each stream records.</summary>
public sealed class FlowControlAndPhaseTests
{
    private static LoadOptions Options() => Sites.Options(ConnectionStrategy.Multiplexed) with { Http2PriorKnowledge = true };

    [Fact]
    public async Task The_client_opens_with_its_settings_and_window_and_answers_a_PING()
    {
        var received = new ConcurrentQueue<Frame>();
        await using var server = H2Peer.Serve(async (peer, _, streamId, path) =>
        {
            if (path == "/")
            {
                await peer.SendAsync(w => FrameWriter.WritePing(w, "pingpong"u8, ack: false));
                await peer.RespondAsync(streamId, "text/html", "<!doctype html><title>t</title>");
            }
        }, received: received);
        var page = await new PageLoader().LoadAsync(server.Url("/"), Options());
        Assert.Equal(PageLoadStatus.Completed, page.Status);
        await Connections.OriginPoolTests.WaitFor(() => received.Any(f => f.Type == FrameType.GoAway));

        var frames = received.ToList();
        // §3.4: SETTINGS first (push off, a 6 MiB stream window), then the connection window opened by 15 MiB.
        Assert.Equal(FrameType.Settings, frames[0].Type);
        var settings = Enumerable.Range(0, frames[0].Payload.Length / 6)
            .Select(i => (BinaryPrimitives.ReadUInt16BigEndian(frames[0].Payload.Span[(i * 6)..]), BinaryPrimitives.ReadUInt32BigEndian(frames[0].Payload.Span[(i * 6 + 2)..])))
            .ToList();
        Assert.Equal([((ushort)1, 4096u), ((ushort)2, 0u), ((ushort)4, 6u * 1024 * 1024), ((ushort)6, 256u * 1024)], settings);
        Assert.Equal((FrameType.WindowUpdate, 0, 15u * 1024 * 1024), (frames[1].Type, frames[1].StreamId, FrameReader.ReadUInt32(frames[1].Payload.Span)));
        // The server's SETTINGS acknowledged, its PING answered with the same eight bytes.
        Assert.Contains(frames, f => f.Type == FrameType.Settings && f.Has(FrameFlags.Ack));
        var pong = Assert.Single(frames, f => f.Type == FrameType.Ping);
        Assert.True(pong.Has(FrameFlags.Ack));
        Assert.Equal("pingpong", Encoding.ASCII.GetString(pong.Payload.Span));
        // The request: HEADERS with END_STREAM on stream 1; at the end, GOAWAY (NO_ERROR).
        var headers = Assert.Single(frames, f => f.Type == FrameType.Headers);
        Assert.Equal((1, true), (headers.StreamId, headers.Has(FrameFlags.EndStream)));
        var goAway = Assert.Single(frames, f => f.Type == FrameType.GoAway);
        Assert.Equal(Http2ErrorCode.NoError, (Http2ErrorCode)FrameReader.ReadUInt32(goAway.Payload.Span[4..]));
    }

    [Fact]
    public async Task A_body_larger_than_both_windows_arrives_whole_because_the_client_gives_the_windows_back()
    {
        // 20 MiB: past the 6 MiB stream window and the 15 MiB + 64 KiB connection window; nghttpd stops sending
        // at either until a WINDOW_UPDATE comes.
        var big = Enumerable.Range(0, 20 * 1024 * 1024).Select(i => (byte)(i * 31)).ToArray();
        await using var server = await NghttpdOrigin.StartAsync(new Dictionary<string, byte[]>
        {
            ["index.html"] = Encoding.UTF8.GetBytes("<!doctype html><img src=/big.png>"),
            ["big.png"] = big,
        });
        var page = await new PageLoader().LoadAsync(server.Url("/index.html"), Options());

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        var image = page.Objects.Single(o => o.Url.EndsWith("/big.png", StringComparison.Ordinal));
        Assert.Equal((200, (string?)null, (long)big.Length), (image.Status ?? 0, image.Error, image.BodyBytes));
    }

    [Fact]
    public async Task Streams_beyond_the_limit_are_blocked_and_every_object_keeps_the_phase_rules()
    {
        var files = new Dictionary<string, byte[]> { ["index.html"] = Encoding.UTF8.GetBytes("<!doctype html>" + string.Concat(Enumerable.Range(0, 12).Select(i => $"<img src=/i{i}.png>"))) };
        for (var i = 0; i < 12; i++)
            files[$"i{i}.png"] = new byte[200_000];
        await using var server = await NghttpdOrigin.StartAsync(files, "--max-concurrent-streams=2");
        var page = await new PageLoader().LoadAsync(server.Url("/index.html"), Options());

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.Equal(2, page.Connections.Single().PeakConcurrentStreams);
        foreach (var o in page.Objects)
        {
            var t = o.Timings;
            // The phases share their boundaries: they add up to the object's time, and none is negative.
            Assert.Equal(o.Time, t.Total, 6);
            Assert.All(new[] { t.Blocked, t.Send, t.Wait, t.Receive }, phase => Assert.True(phase >= 0, $"{o.Url}: {t}"));
        }

        // Only the document opened the connection. Past `blocked` an object holds a stream until its end: at no moment
        // do more than two hold one, though twelve images were asked for at once. (A stream handed on starts at the
        // last byte of the one before, exactly; a microsecond keeps sums of doubles from overlapping them.)
        Assert.Equal(1, page.Objects.Count(o => o.Timings.Connect >= 0));
        var edges = page.Objects
            .SelectMany(o => new[] { (At: o.StartMs + Math.Max(o.Timings.Blocked, 0) + Math.Max(o.Timings.Dns, 0) + Math.Max(o.Timings.Connect, 0) + 0.001, Step: 1), (At: o.EndMs, Step: -1) })
            .OrderBy(e => e.At).ThenBy(e => e.Step);
        var open = 0;
        var most = 0;
        foreach (var (_, step) in edges)
            most = Math.Max(most, open += step);
        Assert.Equal(2, most);
    }
}
