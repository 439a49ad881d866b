using System.Collections.Concurrent;
using System.Diagnostics;
using FetchAgent.Engine.Connections;
using FetchAgent.Engine.Http2;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Http2;

/// <summary>
/// RFC 9113 §3.4: the client sends its requests right after its connection preface, without waiting for the server's
/// SETTINGS; they apply when they arrive. The server's delay lands in the object's <c>wait</c>, where it truly is.
/// </summary>
public sealed class ServerPrefaceTests
{
    private static readonly TimeSpan SettingsDelay = TimeSpan.FromMilliseconds(300);

    private static LoadOptions Options(int objectTimeoutMs = 10_000) =>
        Sites.Options(ConnectionStrategy.Multiplexed) with { Http2PriorKnowledge = true, ObjectTimeoutMs = objectTimeoutMs };

    /// <summary>The system's clock, noting its first reading: the page clock's start, so the peer's stamps map onto the page's milliseconds.</summary>
    private sealed class StartNotingTime : TimeProvider
    {
        private long _start;

        public long Start => Interlocked.Read(ref _start);

        public override long GetTimestamp()
        {
            var now = Stopwatch.GetTimestamp();
            Interlocked.CompareExchange(ref _start, now, 0);
            return now;
        }

        public double Ms(long timestamp) => (timestamp - Start) * 1000.0 / Stopwatch.Frequency;
    }

    [Fact]
    public async Task The_first_request_goes_out_before_the_servers_SETTINGS_and_their_delay_is_its_wait()
    {
        var events = new ConcurrentQueue<(string Event, long At)>();
        await using var server = H2Peer.Serve(
            (peer, _, streamId, _) => peer.RespondAsync(streamId, "text/html", "<!doctype html><title>t</title>"),
            settingsDelay: SettingsDelay, events: events);
        var time = new StartNotingTime();
        var page = await new PageLoader(timeProvider: time).LoadAsync(server.Url("/"), Options()).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        var at = events.ToDictionary(e => e.Event, e => e.At);
        // The peer got the request while it still held its SETTINGS back (for 300 ms after the client's preface).
        Assert.Equal(["preface", "headers /", "settings", "answered /"], events.Select(e => e.Event));
        Assert.True(Stopwatch.GetElapsedTime(at["preface"], at["settings"]) >= SettingsDelay);

        var document = Assert.Single(page.Objects);
        var t = document.Timings;
        var firstByte = document.EndMs - t.Receive;
        var sendEnd = firstByte - t.Wait;
        // On one clock: the send phase ended before the server sent its SETTINGS, and the response came after them, so
        // the whole delay sits in the wait and none of it in the send.
        Assert.True(sendEnd < time.Ms(at["settings"]), $"send ended at {sendEnd} ms, the SETTINGS went at {time.Ms(at["settings"])} ms: {t}");
        Assert.True(firstByte > time.Ms(at["settings"]), $"the first byte at {firstByte} ms, the SETTINGS went at {time.Ms(at["settings"])} ms: {t}");
        Assert.True(t.Wait >= time.Ms(at["settings"]) - sendEnd);
        Assert.Equal(document.Time, t.Total, 6);
        var connection = Assert.Single(page.Connections);
        Assert.Equal(("h2", (string?)null), (connection.Protocol, connection.Error));
    }

    [Fact]
    public async Task A_lower_stream_limit_in_late_SETTINGS_makes_the_later_requests_wait_blocked()
    {
        const string page3 = "<!doctype html><title>t</title><img src=/a.png><img src=/b.png><img src=/c.png>";
        await using var server = H2Peer.Serve(
            (peer, _, streamId, path) => path == "/" ? peer.RespondAsync(streamId, "text/html", page3) : peer.RespondAsync(streamId, "image/png", new string('x', 5000)),
            settingsDelay: SettingsDelay, settings: [(SettingsParameter.MaxConcurrentStreams, 1)]);
        var page = await new PageLoader().LoadAsync(server.Url("/"), Options()).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        var connection = Assert.Single(page.Connections);
        Assert.Equal(1L, connection.PeerSettings!["SETTINGS_MAX_CONCURRENT_STREAMS"]);
        // The document went out under the assumed 100; the images, asked for after the SETTINGS said 1, one at a time.
        Assert.Equal(1, connection.PeakConcurrentStreams);
        var images = page.Objects.Skip(1).OrderBy(o => o.StartMs + o.Timings.Blocked).ToList();
        Assert.Equal(3, images.Count);
        for (var i = 1; i < images.Count; i++)
            Assert.True(images[i].StartMs + images[i].Timings.Blocked + 0.001 >= images[i - 1].EndMs, // (a microsecond for sums of doubles)
                $"{images[i].Url} got a stream at {images[i].StartMs + images[i].Timings.Blocked} ms, before {images[i - 1].Url} ended at {images[i - 1].EndMs} ms");
    }

    [Fact]
    public async Task A_server_that_never_sends_SETTINGS_ends_at_the_deadline_with_its_own_text()
    {
        var received = new ConcurrentQueue<Frame>();
        await using var server = H2Peer.Serve((_, _, _, _) => Task.CompletedTask, sendSettings: false, received: received);
        var page = await new PageLoader().LoadAsync(server.Url("/"), Options(objectTimeoutMs: 500)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(PageLoadStatus.Failed, page.Status);
        var document = Assert.Single(page.Objects);
        Assert.Equal(("timeout: no SETTINGS from the server in 500 ms (RFC 9113 §3.4)", ErrorKind.Timeout), (document.Error, document.ErrorKind));
        // The request went out at once (§3.4), so the time was spent waiting for an answer, not sending.
        Assert.Contains(received, f => f.Type == FrameType.Headers);
        Assert.True(document.Timings.Wait > document.Timings.Send, document.Timings.ToString());
        var connection = Assert.Single(page.Connections);
        Assert.Equal((Http2Connection.NoSettingsText, (ErrorKind?)ErrorKind.Timeout), (connection.Error, connection.ErrorKind));
    }

    [Fact]
    public async Task A_server_whose_first_frame_is_not_SETTINGS_is_a_protocol_error()
    {
        await using var server = H2Peer.Serve((peer, _, streamId, _) => peer.RespondAsync(streamId, "text/html", "<!doctype html>"), sendSettings: false);
        var page = await new PageLoader().LoadAsync(server.Url("/"), Options()).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(PageLoadStatus.Failed, page.Status);
        var document = Assert.Single(page.Objects);
        Assert.Equal(("http2: the server's first frame is HEADERS, not its SETTINGS (§3.4)", ErrorKind.Protocol), (document.Error, document.ErrorKind));
        Assert.Equal(CloseReason.Error, Assert.Single(page.Connections).CloseReason);
    }
}
