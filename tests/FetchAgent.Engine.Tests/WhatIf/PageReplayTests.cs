using FetchAgent.Engine.Model;
using FetchAgent.Engine.WhatIf;

namespace FetchAgent.Engine.Tests.WhatIf;

/// <summary>
/// Issue 13 item 5: the what-if replay's connection model on recorded documents made here, so every expectation is the
/// model's arithmetic: round trips for connect and request, slow-start rounds, the bandwidth shared, the strategies.
/// </summary>
public sealed class PageReplayTests
{
    private const int Window = 14_600; // 10 segments of 1460 bytes

    /// <summary>A recording on loopback (no round trip, no think time): a document and what it referenced, found at its end.</summary>
    private static PageLoadDocument Recorded(long documentBytes, params (long Bytes, double Think)[] children)
    {
        var objects = new List<ObjectRecord>
        {
            new()
            {
                Id = 1, Url = "http://site.test/", Kind = ResourceKind.Document, Initiator = Initiator.Navigation, RenderBlocking = true,
                StartMs = 0, EndMs = 1, Status = 200, HeaderBytes = 0, BodyBytes = documentBytes, ConnectionId = 1,
                Timings = new ObjectTimings(0, -1, 0.1, -1, 0, 0, 0.9),
            },
        };
        objects.AddRange(children.Select((c, i) => new ObjectRecord
        {
            Id = i + 2, Url = $"http://site.test/{i}.png", Kind = ResourceKind.Image, Initiator = Initiator.Parser, ParentId = 1,
            StartMs = 1, EndMs = 2 + c.Think, Status = 200, HeaderBytes = 0, BodyBytes = c.Bytes, ConnectionId = 1,
            Timings = new ObjectTimings(0, -1, -1, -1, 0, c.Think, 1),
        }));
        return new PageLoadDocument
        {
            Id = 7, Url = "http://site.test/", Status = PageLoadStatus.Completed, Options = new LoadOptions(), Objects = objects,
            Connections = [new ConnectionRecord { Id = 1, Scheme = "http", Host = "site.test", Port = 80, RemoteAddress = "127.0.0.1", DnsMs = -1, ConnectMs = 0.1 }],
        };
    }

    private static (double Start, double Connect, double Wait, double Receive, double End) Times(PageLoadDocument d, int id)
    {
        var o = d.Objects.Single(x => x.Id == id);
        return (Math.Round(o.StartMs, 6), Math.Round(o.Timings.Connect, 6), Math.Round(o.Timings.Wait, 6), Math.Round(o.Timings.Receive, 6), Math.Round(o.EndMs, 6));
    }

    [Fact]
    public void A_new_connection_pays_one_round_trip_to_connect_one_per_request_and_one_per_slow_start_round()
    {
        // Three windows' worth: 14600 bytes in the first round, 29200 in the second (the window doubled).
        var predicted = PageReplay.Predict(Recorded(3 * Window), new WhatIfConditions { RttMs = 100 });

        Assert.Equal((0, 100, 100, 100, 300), Times(predicted, 1));
        Assert.Equal(300, predicted.Metrics.OnLoadMs, 6);
        Assert.Equal(new PredictionRecord(7, "persistent", 100, 0, 0, 2, PredictionRecord.ModelDescription), predicted.Prediction);
        Assert.Equal((1, 1), (predicted.Connections.Count, predicted.Connections[0].Requests));
    }

    [Fact]
    public void A_warm_connection_keeps_its_window_so_the_second_object_needs_no_extra_round()
    {
        // One connection: the image waits for the document's, then finds a window of 4 segments' doubling.
        var predicted = PageReplay.Predict(Recorded(3 * Window, (3 * Window, 0)), new WhatIfConditions { RttMs = 100, MaxConnectionsPerHost = 1 });

        Assert.Equal((0, 100, 100, 100, 300), Times(predicted, 1));
        // Known at 300 (the document's end), reused at once: request 100 ms, all 43800 bytes in one round.
        Assert.Equal((300, -1, 100, 0, 400), Times(predicted, 2));
        Assert.True(predicted.Objects.Single(o => o.Id == 2).ReusedConnection);
    }

    [Fact]
    public void A_second_connection_pays_its_connect_and_its_own_slow_start()
    {
        var predicted = PageReplay.Predict(Recorded(100, (3 * Window, 0), (3 * Window, 0)), new WhatIfConditions { RttMs = 100, MaxConnectionsPerHost = 2 });

        // The document: connect, request, one round. Its images: one reuses the warm connection (one round, 43800 ≤
        // 29200? no: the window after one round is 29200, so two rounds), the other opens a new one (connect + two rounds).
        Assert.Equal((0, 100, 100, 0, 200), Times(predicted, 1));
        Assert.Equal((200, -1, 100, 100, 400), Times(predicted, 2));
        Assert.Equal((200, 100, 100, 100, 500), Times(predicted, 3));
        Assert.Equal(2, predicted.Connections.Count);
    }

    [Fact]
    public void Bandwidth_paces_the_bytes_and_is_shared_by_the_connections_sending_at_once()
    {
        // 800 kbit/s = 100 bytes per ms; no round trip: only the link limits.
        var alone = PageReplay.Predict(Recorded(100_000), new WhatIfConditions { DownKbps = 800 });
        Assert.InRange(alone.Metrics.OnLoadMs, 999.9, 1000.1);

        var shared = PageReplay.Predict(Recorded(0, (100_000, 0), (100_000, 0)), new WhatIfConditions { DownKbps = 800, MaxConnectionsPerHost = 2 });
        Assert.InRange(shared.Objects.Single(o => o.Id == 2).EndMs, 1999.9, 2000.1);
        Assert.InRange(shared.Objects.Single(o => o.Id == 3).EndMs, 1999.9, 2000.1);

        // Max-min fair: a small object takes only its share's worth, the rest goes to the big one.
        var uneven = PageReplay.Predict(Recorded(0, (10_000, 0), (100_000, 0)), new WhatIfConditions { DownKbps = 800, MaxConnectionsPerHost = 2 });
        Assert.InRange(uneven.Objects.Single(o => o.Id == 2).EndMs, 199.9, 200.1);
        Assert.InRange(uneven.Objects.Single(o => o.Id == 3).EndMs, 1099.9, 1100.1);
    }

    [Fact]
    public void Each_strategy_uses_connections_as_the_pool_does()
    {
        var page = Recorded(100, (100, 0), (100, 0), (100, 0), (100, 0));
        WhatIfConditions With(ConnectionStrategy s) => new() { Strategy = s, RttMs = 50, MaxConnectionsPerHost = 2, PipelineDepth = 4 };

        // serial: one at a time, each on a new connection: (50 connect + 50 request) × 5.
        var serial = PageReplay.Predict(page, With(ConnectionStrategy.Serial));
        Assert.Equal((5, 500.0), (serial.Connections.Count, serial.Metrics.OnLoadMs));
        // parallel: a new connection per object, two at once: document 100, then the images two by two.
        var parallel = PageReplay.Predict(page, With(ConnectionStrategy.Parallel));
        Assert.Equal((5, 300.0), (parallel.Connections.Count, parallel.Metrics.OnLoadMs));
        // persistent: two connections, reused: document 100; images 200 (reused, 50) / 150+50 (new), then 50 more each.
        var persistent = PageReplay.Predict(page, With(ConnectionStrategy.Persistent));
        Assert.Equal((2, 250.0), (persistent.Connections.Count, persistent.Metrics.OnLoadMs));
        // multiplexed: one connection, every image at once, one round trip after the document.
        var multiplexed = PageReplay.Predict(page, With(ConnectionStrategy.Multiplexed));
        Assert.Equal((1, 150.0), (multiplexed.Connections.Count, multiplexed.Metrics.OnLoadMs));
        Assert.All(multiplexed.Objects.Skip(1), o => Assert.Equal(150.0, o.EndMs, 6));
    }

    [Fact]
    public void Think_time_is_the_recorded_wait_less_the_recordings_round_trip_and_discovery_gaps_are_kept()
    {
        var page = Recorded(100, (100, 30));
        page.Objects[1].StartMs = 6; // found 5 ms after the document ended (its parse)
        page.Objects[1].EndMs = 37;
        page.Connections[0].TcpInfo = new TcpInfoRecord { MinRttMs = 0.5 }; // the image's 30 ms wait was 0.5 of round trip

        var predicted = PageReplay.Predict(page, new WhatIfConditions { RttMs = 20, MaxConnectionsPerHost = 1 });

        Assert.Equal((0, 20, 20, 0, 40), Times(predicted, 1)); // loopback: no think time
        Assert.Equal((45, -1, 20 + 29.5, 0, 94.5), Times(predicted, 2));
    }

    [Fact]
    public void Out_of_range_conditions_are_refused_by_name()
    {
        var e = Assert.Throws<ArgumentException>(() => PageReplay.Predict(Recorded(1), new WhatIfConditions { RttMs = -1 }));
        Assert.StartsWith("rtt must be", e.Message, StringComparison.Ordinal);
        Assert.Equal(["downKbps", "maxConnectionsPerHost"], new WhatIfConditions { DownKbps = -5, MaxConnectionsPerHost = 0 }.Validate().Select(p => p.Field));
    }

    [Theory]
    [InlineData("TLSv1.3", 200)]
    [InlineData("TLSv1.2", 300)]
    public void A_TLS_connection_pays_its_handshakes_round_trips_on_top_of_TCPs(string tls, double connect)
    {
        var page = Recorded(100);
        page.Objects[0].Url = "https://site.test/";
        page.Connections[0] = new ConnectionRecord { Id = 1, Scheme = "https", Host = "site.test", Port = 443, RemoteAddress = "127.0.0.1", TlsProtocol = tls };

        var predicted = PageReplay.Predict(page, new WhatIfConditions { RttMs = 100 });

        Assert.Equal((connect, connect - 100), (predicted.Connections[0].ConnectMs, predicted.Connections[0].SslMs));
        Assert.Equal(connect + 100, predicted.Metrics.OnLoadMs, 6);
    }
}
