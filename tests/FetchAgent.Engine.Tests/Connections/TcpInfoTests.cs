using FetchAgent.Engine.Model;
using FetchAgent.Engine.Navigation;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Connections;

/// <summary>
/// Issue 13, item 2: the kernel's TCP_INFO on every object and connection. The kernel is an outside observer of the
/// bytes: on a plain http connection with Content-Length bodies, the bytes it received by an object's end are exactly
/// the heads and bodies of that object and the ones before it on the connection.
/// </summary>
public sealed class TcpInfoTests
{
    [Fact]
    public async Task Every_object_and_connection_carries_the_kernels_reading_and_its_byte_counts_match_the_load()
    {
        await using var site = Sites.WithImages(5, imageBytes: 20_000);
        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options(ConnectionStrategy.Persistent, perHost: 2));

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.All(page.Objects, o => Assert.NotNull(o.TcpInfo));
        Assert.All(page.Connections, c => Assert.NotNull(c.TcpInfo));
        foreach (var connection in page.Connections)
        {
            var carried = page.Objects.Where(o => o.ConnectionId == connection.Id).OrderBy(o => o.EndMs).ToList();
            Assert.Equal(connection.Requests, carried.Count);
            var received = 0L;
            foreach (var o in carried)
            {
                received += o.HeaderBytes + o.BodyBytes;
                Assert.Equal(received, o.TcpInfo!.BytesReceived);
                Assert.True(o.TcpInfo.RttMs > 0 && o.TcpInfo.CongestionWindow >= 10 && o.TcpInfo.SendMss > 0, $"{o.TcpInfo}");
            }

            // At the close (after the graceful close read the server's FIN): everything received, plus one for the FIN,
            // which takes a sequence number of its own (RFC 9293 §3.4) and the kernel counts it in bytes_received.
            Assert.Equal(received + 1, connection.TcpInfo!.BytesReceived);
            Assert.Equal(0, connection.TcpInfo.Retransmits); // loopback loses nothing
            Assert.True(connection.TcpInfo.MinRttMs <= connection.TcpInfo.RttMs, $"{connection.TcpInfo}");
        }
    }

    [Fact]
    public void A_short_reply_from_an_old_kernel_leaves_the_newer_fields_null()
    {
        var info = new byte[104];
        BitConverter.TryWriteBytes(info.AsSpan(68), 1500u); // tcpi_rtt, µs
        BitConverter.TryWriteBytes(info.AsSpan(80), 10u);   // tcpi_snd_cwnd
        var record = TcpInfoReader.Parse(info)!;
        Assert.Equal((1.5, 10L, (long?)null, (double?)null), (record.RttMs, record.CongestionWindow, record.BytesReceived, record.MinRttMs));
        Assert.Null(TcpInfoReader.Parse(new byte[100]));
    }
}
