using System.Diagnostics;
using System.Text;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Navigation;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Connections;

/// <summary>
/// Issue 13, item 3: the ports a load used and the TIME_WAIT sockets it left, checked against <c>ss</c> (iproute2) as
/// an outside observer. The side that closes first holds TIME_WAIT: FetchAgent when it closes (serial after every
/// object, persistent at the page's end), the server when it answers <c>Connection: close</c> and closes.
/// </summary>
public sealed class TimeWaitTests
{
    [Fact]
    public async Task Serial_leaves_one_time_wait_socket_per_object_when_fetchagent_closes_first()
    {
        await using var site = Sites.WithImages(4);
        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options(ConnectionStrategy.Serial));

        Assert.Equal(6, page.Objects.Count); // the document, the stylesheet, 4 images
        Assert.Equal(6, page.Connections.Count);
        Assert.Equal(page.Connections.Select(c => c.LocalPort).Order(), page.PortsUsed);
        Assert.Equal(6, page.PortsUsed.Distinct().Count());
        Assert.Equal(6, page.TimeWaitSockets);
        Assert.All(page.Connections, c => Assert.Equal((true, ClosedBy.Client), (c.TimeWait, c.ClosedBy)));
        // ss sees every one of those ports of ours in TIME_WAIT towards the server (an earlier test's sockets to a
        // server that had this port are left out by taking our ports only).
        Assert.Equal(page.PortsUsed, (await TimeWaitPortsAsync()).Where(p => p.Peer == site.Port && page.PortsUsed.Contains(p.Local)).Select(p => p.Local).Order());
    }

    [Fact]
    public async Task Persistent_leaves_one_per_connection_it_closed_at_the_end()
    {
        await using var site = Sites.WithImages(4);
        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options(ConnectionStrategy.Persistent, perHost: 2));

        Assert.Equal(2, page.Connections.Count);
        Assert.Equal(2, page.TimeWaitSockets);
        Assert.Equal(page.PortsUsed, (await TimeWaitPortsAsync()).Where(p => p.Peer == site.Port && page.PortsUsed.Contains(p.Local)).Select(p => p.Local).Order());
    }

    [Fact]
    public async Task None_are_left_on_fetchagents_side_when_the_server_closes_first()
    {
        // Bodies delimited by the server's close (RFC 9112 §6.3 rule 8): FetchAgent cannot be done before the server's
        // FIN, so the server closes first every time and its end holds TIME_WAIT, not ours.
        await using var server = new ScriptedServer(async connection =>
        {
            var request = await connection.ReadRequestAsync();
            if (request is null)
                return;
            var (type, body) = request.Target == "/" ? ("text/html", "<img src=/a.png><img src=/b.png>") : ("image/png", "png!");
            await connection.WriteAsync($"HTTP/1.1 200 OK\r\nContent-Type: {type}\r\nConnection: close\r\n\r\n{body}");
            connection.ShutdownSend();
            await connection.ReadToEndAsync(TimeSpan.FromSeconds(5));
        });
        var page = await new PageLoader().LoadAsync(server.Url("/"), Sites.Options(ConnectionStrategy.Persistent, perHost: 2));

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.Equal(3, page.Connections.Count);
        Assert.Equal(0, page.TimeWaitSockets);
        Assert.All(page.Connections, c => Assert.Equal((false, ClosedBy.Server), (c.TimeWait, c.ClosedBy)));
        var timeWait = await TimeWaitPortsAsync();
        Assert.DoesNotContain(timeWait, p => p.Peer == server.EndPoint.Port && page.PortsUsed.Contains(p.Local));
        // The server's ends are the ones waiting: local port the server's, peer one of ours.
        Assert.Equal(page.PortsUsed, timeWait.Where(p => p.Local == server.EndPoint.Port && page.PortsUsed.Contains(p.Peer)).Select(p => p.Peer).Order());
    }

    [Fact]
    public void The_tests_kernel_table_reader_reads_loopback_addresses_and_ports()
    {
        Assert.True(KernelSockets.Supported);
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var entry = Assert.Single(KernelSockets.Read(), s => s.Local.Port == port);
        Assert.Equal((System.Net.IPAddress.Loopback, TcpSocketState.Listen), (entry.Local.Address, entry.State));
    }

    /// <summary>TIME_WAIT sockets as <c>ss -Htan state time-wait</c> lists them: local port and peer port.</summary>
    private static async Task<List<(int Local, int Peer)>> TimeWaitPortsAsync()
    {
        using var ss = Process.Start(new ProcessStartInfo("ss", "-Htan state time-wait") { RedirectStandardOutput = true })!;
        var output = await ss.StandardOutput.ReadToEndAsync();
        await ss.WaitForExitAsync();
        static int PortOf(string endPoint) => int.Parse(endPoint[(endPoint.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 4)
            .Select(f => (PortOf(f[2]), PortOf(f[3])))
            .ToList();
    }
}
