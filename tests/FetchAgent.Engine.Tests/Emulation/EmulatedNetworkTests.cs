using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Emulation;

/// <summary>
/// Issue 13 item 1 on real sockets on loopback: the emulated round trip lands in connect and wait, slow start in
/// receive (on a new connection, not on a warm one), and bandwidth paces and is shared.
/// </summary>
[Trait("Category", "Timing")] // run alone after the rest by ./test.sh: real timers on a busy machine wake late
public sealed class EmulatedNetworkTests
{
    private const int Big = 400 * 1024;

    private static ObjectRecord Object(PageLoadDocument page, string path) => page.Objects.Single(o => new Uri(o.Url).AbsolutePath == path);

    [Fact]
    public async Task A_connect_costs_one_round_trip_and_each_request_one_more()
    {
        await using var site = new StaticOrigin().Add("/", SiteResource.Html("<img src=/a.png>")).Add("/a.png", SiteResource.Image(100));

        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options(perHost: 1) with { RttMs = 100 });

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.Equal(new EmulatedNetwork(100, 0, 0, null), page.EmulatedNetwork);
        var connection = Assert.Single(page.Connections);
        Assert.InRange(connection.ConnectMs, 90, 110);
        Assert.InRange(Object(page, "/").Timings.Wait, 90, 110);
        Assert.InRange(Object(page, "/a.png").Timings.Wait, 90, 110);
        Assert.Equal(-1, Object(page, "/a.png").Timings.Connect); // reused: no second connect
    }

    [Fact]
    public async Task A_big_object_takes_its_slow_start_rounds_on_a_new_connection_and_one_on_a_warm_one()
    {
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Html("<img src=/a.png><img src=/b.png>"))
            .Add("/a.png", SiteResource.Image(Big))
            .Add("/b.png", SiteResource.Image(Big));

        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options(perHost: 1) with { RttMs = 100 });

        // a.png on the connection the small document warmed only a little: windows of ~14.9, 29.8, 59.6, 119.2 and
        // 238.4 kB, five rounds for 400 kB, so four round trips after its first byte.
        Assert.InRange(Object(page, "/a.png").Timings.Receive, 360, 440); // four round trips, within 10 %
        // b.png on the same connection, now warm (its window grew past 400 kB): one round.
        Assert.InRange(Object(page, "/b.png").Timings.Receive, 0, 10);
        Assert.All(page.Objects, o => Assert.InRange(o.Timings.Wait, 90, 110));
    }

    [Fact]
    public async Task Bandwidth_paces_the_bytes_and_the_loads_connections_share_it()
    {
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Html("<img src=/a.png><img src=/b.png>"))
            .Add("/a.png", SiteResource.Image(Big))
            .Add("/b.png", SiteResource.Image(Big));

        // 8000 kbit/s is 1000 bytes per ms: one 400 kB image alone takes ~410 ms ...
        var alone = await new PageLoader().LoadAsync(site.Url("/a.png"), Sites.Options() with { DownKbps = 8_000 });
        Assert.InRange(alone.Objects[0].Timings.Receive + alone.Objects[0].Timings.Wait, 369, 451); // 410 ms within 10 %

        // ... and two at once on two connections share the link: the pair takes ~820 ms, and neither gets the link to
        // itself (the first to end needs well over its 410 ms alone; turns of 2 ms pieces, round robin).
        var both = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options(perHost: 2) with { DownKbps = 8_000 });
        var images = both.Objects.Where(o => o.Kind == ResourceKind.Image).ToList();
        Assert.Equal(2, images.Select(o => o.ConnectionId).Distinct().Count());
        var start = images.Min(o => o.StartMs);
        Assert.InRange(images.Max(o => o.EndMs) - start, 738, 902); // 820 ms within 10 %
        Assert.InRange(images.Min(o => o.EndMs) - start, 615, 902); // at least 1.5 × alone: shared, not one after the other
    }

    [Fact]
    public async Task A_profile_gives_its_figures_an_explicit_value_overrides_one_and_off_changes_nothing()
    {
        await using var site = new StaticOrigin().Add("/", SiteResource.Html("hello"));

        var fios = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options() with { Network = "FIOS", RttMs = 30 });
        Assert.Equal(new EmulatedNetwork(30, 20_000, 5_000, "fios"), fios.EmulatedNetwork);
        Assert.InRange(fios.Connections[0].ConnectMs, 27, 38); // 30 ms and a timer tick

        var off = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options());
        Assert.Null(off.EmulatedNetwork);
        Assert.InRange(off.Connections[0].ConnectMs, 0, 20);
        Assert.Equal(["3g", "4g", "cable", "dsl", "fios"], NetworkProfiles.ByName.Keys);
        Assert.Equal(LoadOptions.NetworkProfileNames, NetworkProfiles.ByName.Keys);
        Assert.Equal((1_600, 768, 300), NetworkProfiles.ByName["3g"]);
    }

    [Fact]
    public async Task A_TLS_handshake_costs_its_round_trips_after_the_connects_one()
    {
        await using var tls = new StaticOrigin(certificate: TestCertificates.Localhost).Add("/", SiteResource.Html("<p>hi"));
        var loader = new PageLoader();
        var url = tls.Url("localhost", "/");
        // The handshake's own work (both ends' key exchange and certificate, in this process) is in `ssl` with or
        // without emulation: measured on a warm handshake without it, and taken out of the emulated one. A first
        // emulated load warms the emulation's own code, whose JIT would otherwise land in the measured handshake.
        await loader.LoadAsync(url, Sites.Options() with { Insecure = true, RttMs = 100 });
        var unemulated = Assert.Single((await loader.LoadAsync(url, Sites.Options() with { Insecure = true })).Connections).SslMs;

        var page = await loader.LoadAsync(url, Sites.Options() with { Insecure = true, RttMs = 100 });

        var connection = Assert.Single(page.Connections);
        // TLS 1.3: the server's answer to the ClientHello comes one round trip later; TLS 1.2 waits for a second flight.
        var roundTrips = connection.TlsProtocol == "TLSv1.3" ? 1 : 2;
        Assert.InRange(connection.SslMs - unemulated, roundTrips * 90, roundTrips * 110);
        Assert.InRange(connection.ConnectMs - connection.SslMs, 90, 110);
        Assert.InRange(page.Objects[0].Timings.Wait, 90, 110);
    }
}
