using FetchAgent.Engine.Http2;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Http2;

/// <summary>
/// HTTP/2 peers that break the rules while the page's image is in flight: each ends that object with its own text and
/// kind, never a hang, and the page load completes (partial) with its document.
/// </summary>
public sealed class HostileH2PeerTests
{
    private static LoadOptions Options(int objectTimeoutMs = 10_000) =>
        Sites.Options(ConnectionStrategy.Multiplexed) with { Http2PriorKnowledge = true, ObjectTimeoutMs = objectTimeoutMs };

    /// <summary>Loads the page; the image's stream gets <paramref name="misbehave"/>.</summary>
    private static async Task<(PageLoadDocument Page, ObjectRecord Image)> LoadAsync(Func<H2Peer, int, Task> misbehave, int objectTimeoutMs = 10_000)
    {
        await using var server = H2Peer.Serve(async (peer, connection, streamId, path) =>
        {
            if (path == "/")
                await peer.RespondAsync(streamId, "text/html", H2Peer.Page);
            else
                await misbehave(peer, streamId);
        });
        var page = await new PageLoader().LoadAsync(server.Url("/"), Options(objectTimeoutMs)).WaitAsync(TimeSpan.FromSeconds(30));
        // A failed image leaves the page partial (as for HTTP/1.1), its document whole.
        Assert.Equal(PageLoadStatus.Partial, page.Status);
        Assert.Equal((200, "HTTP/2"), (page.Objects[0].Status ?? 0, page.Objects[0].HttpVersion));
        return (page, page.Objects.Single(o => o.Url.EndsWith("/a.png", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_oversized_frame_is_a_protocol_error()
    {
        var (page, image) = await LoadAsync(async (peer, id) =>
        {
            await peer.HeadersAsync(id, 200, "image/png");
            await peer.DataAsync(id, new byte[16_385], endStream: true);
        });
        Assert.Equal("http2: a DATA frame of 16385 bytes is larger than SETTINGS_MAX_FRAME_SIZE 16384 (§4.2)", image.Error);
        Assert.Equal(ErrorKind.Protocol, image.ErrorKind);
        var connection = Assert.Single(page.Connections);
        Assert.Equal(CloseReason.Error, connection.CloseReason);
        Assert.Equal(image.Error, connection.Error);
    }

    [Fact]
    public async Task A_bad_HPACK_index_is_a_protocol_error()
    {
        var (_, image) = await LoadAsync((peer, id) => peer.SendAsync(w =>
        {
            FrameWriter.WriteHeaders(w, id, [0x88, 0xbe], endStream: true, 16_384);
        }));
        Assert.Equal("HPACK: index 62 is not in the table (61 static + 0 dynamic entries) (RFC 7541 §2.3.3)", image.Error);
        Assert.Equal(ErrorKind.Protocol, image.ErrorKind);
    }

    [Fact]
    public async Task A_window_past_2_31_is_a_protocol_error()
    {
        var (_, image) = await LoadAsync((peer, _) => peer.SendAsync(w => FrameWriter.WriteWindowUpdate(w, 0, int.MaxValue)));
        Assert.Equal("http2: a WINDOW_UPDATE takes the connection window to 2147549182, above 2^31-1 (§6.9.1)", image.Error);
        Assert.Equal(ErrorKind.Protocol, image.ErrorKind);
    }

    [Fact]
    public async Task A_stream_reset_mid_body_is_a_reset_of_that_stream_alone()
    {
        var (page, image) = await LoadAsync(async (peer, id) =>
        {
            await peer.HeadersAsync(id, 200, "image/png", false, ("content-length", "1000"));
            await peer.DataAsync(id, new byte[100], endStream: false);
            await peer.SendAsync(w => FrameWriter.WriteRstStream(w, id, Http2ErrorCode.Cancel));
        });
        Assert.Equal("http2: the server reset stream 3 (CANCEL)", image.Error);
        Assert.Equal(ErrorKind.Reset, image.ErrorKind);
        Assert.Equal(200, image.Status);
        Assert.Equal(100, image.BodyBytes);
        var connection = Assert.Single(page.Connections);
        Assert.Equal("h2", connection.Protocol);
    }

    [Fact]
    public async Task A_server_that_closes_before_its_SETTINGS_is_a_reset()
    {
        await using var server = new ScriptedServer(async connection =>
        {
            // The preface, the client's SETTINGS and WINDOW_UPDATE, and its request (sent at once, §3.4): read whole, up
            // to the request's HEADERS, so the close is a FIN, not a reset for unread bytes.
            await connection.Stream.ReadExactlyAsync(new byte[FrameWriter.Preface.Length]);
            var reader = new FrameReader(connection.Stream);
            while (await reader.ReadAsync(connection.Stopping) is { Type: not FrameType.Headers })
            {
            }
        });
        var page = await new PageLoader().LoadAsync(server.Url("/"), Options()).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(PageLoadStatus.Failed, page.Status);
        var document = Assert.Single(page.Objects);
        Assert.Equal(("http2: the server closed the connection", ErrorKind.Reset), (document.Error, document.ErrorKind));
        Assert.Equal(CloseReason.Error, Assert.Single(page.Connections).CloseReason);
    }

    [Fact]
    public async Task GOAWAY_below_a_stream_retries_it_on_a_new_connection()
    {
        await using var server = H2Peer.Serve(async (peer, connection, streamId, path) =>
        {
            if (path == "/")
                await peer.RespondAsync(streamId, "text/html", H2Peer.Page);
            else if (connection == 1)
                await peer.SendAsync(w => FrameWriter.WriteGoAway(w, 1, Http2ErrorCode.NoError));
            else
                await peer.RespondAsync(streamId, "image/png", "png!");
        });
        var page = await new PageLoader().LoadAsync(server.Url("/"), Options()).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        var image = page.Objects.Single(o => o.Url.EndsWith("/a.png", StringComparison.Ordinal));
        Assert.Equal((200, (string?)null, 1), (image.Status ?? 0, image.Error, image.Retries));
        Assert.Equal(2, page.Connections.Count);
        Assert.Equal("last-stream-id 1, NO_ERROR", page.Connections[0].GoAway);
        Assert.Equal(page.Connections[1].Id, image.ConnectionId);
        Assert.Equal(1, page.Metrics.RetriedRequests);
    }
}
