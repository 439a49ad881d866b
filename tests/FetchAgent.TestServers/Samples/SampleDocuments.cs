using FetchAgent.Engine.Model;
using FetchAgent.Engine.Timeline;

namespace FetchAgent.TestServers.Samples;

/// <summary>
/// Page-load documents built by hand, for every test project that needs one without running a load: objects one
/// at a time (<see cref="Object"/>, <see cref="Received"/>, <see cref="Document"/>), a load for the terminal
/// waterfall (<see cref="Waterfall"/>), one with every kind of value the storage must keep (<see cref="Rich"/>),
/// and small ones with chosen figures for lists and trends (<see cref="Simple"/>).
/// </summary>
public static partial class SampleDocuments
{
    public static readonly DateTimeOffset Noon = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// A redirect to https, a document, objects of every kind, a failed object, -1 timings on reused
    /// connections, a TLS connection with keep-alive, one that errored, headers and visual progress.
    /// Doubles with long fractions and a start time with sub-millisecond ticks, so rounding would show.
    /// </summary>
    public static PageLoadDocument Rich(string url = "http://example.test/page", ConnectionStrategy strategy = ConnectionStrategy.Pipelined)
    {
        var objects = new List<ObjectRecord>
        {
            new()
            {
                Id = 1, Url = url, Kind = ResourceKind.Document, Initiator = Initiator.Navigation, ConnectionId = 1,
                StartMs = 0, EndMs = 12.345678901234567, Time = 12.345678901234567,
                Timings = new ObjectTimings(0.1, 1.2, 3.4, -1, 0.05, 6.7, 0.8956789012345670),
                HttpVersion = "HTTP/1.1", Status = 301, StatusText = "Moved Permanently", ContentType = "text/html",
                HeaderBytes = 211, BodyBytes = 0, RedirectUrl = "https://example.test/page", Priority = "VeryHigh",
                RequestHeaders = [new("Host", "example.test"), new("User-Agent", "FetchAgent/0.1"), new("Accept", "*/*")],
                ResponseHeaders = [new("Location", "https://example.test/page"), new("Connection", "close")],
            },
            new()
            {
                Id = 2, Url = "https://example.test/page", Kind = ResourceKind.Document, Initiator = Initiator.Redirect, ParentId = 1,
                RenderBlocking = true, ConnectionId = 2, StartMs = 12.5, EndMs = 40.25, Time = 27.75,
                Timings = new ObjectTimings(0, -1, 9.5, 6.25, 0.25, 10, 8) { Proxy = 1.75 }, HttpVersion = "HTTP/1.1", Status = 200, StatusText = "OK",
                ContentType = "text/html; charset=utf-8", HeaderBytes = 320, BodyBytes = 18_000, DecodedBytes = 61_234, DiscoveryMs = 1.2345678901234567,
                ResponseHeaders = [new("Content-Type", "text/html; charset=utf-8"), new("Set-Cookie", "a=1"), new("Set-Cookie", "b=\"2\""),
                    new("Via", "1.1 proxy.test (squid/6.13)"), new("Age", "42")],
                Via = "1.1 proxy.test (squid/6.13)", Age = 42, Priority = "VeryHigh",
            },
        };
        var kinds = new[] { ResourceKind.Stylesheet, ResourceKind.Script, ResourceKind.Image, ResourceKind.Font, ResourceKind.Media, ResourceKind.Iframe, ResourceKind.Other };
        var id = 3;
        foreach (var kind in kinds)
        {
            objects.Add(new ObjectRecord
            {
                Id = id, Url = $"https://example.test/{kind.ToString().ToLowerInvariant()}/{id}?q=ü&x=%20", Method = kind == ResourceKind.Other ? "POST" : "GET",
                Kind = kind, Initiator = kind == ResourceKind.Font ? Initiator.Css : Initiator.Parser, ParentId = kind == ResourceKind.Font ? 3 : 2,
                RenderBlocking = kind == ResourceKind.Stylesheet, ParserBlocking = kind == ResourceKind.Script,
                ConnectionId = 2, ReusedConnection = true, Retries = kind == ResourceKind.Image ? 1 : 0,
                StartMs = 40.25 + id / 3.0, EndMs = 60 + id * Math.PI, Time = 19.75 + id * Math.E,
                Timings = new ObjectTimings(id / 7.0, -1, -1, -1, 0.01, 5 + 1 / 3.0, 2.0000000000000004),
                HttpVersion = "HTTP/1.1", Status = 200, StatusText = "OK", ContentType = "application/octet-stream",
                HeaderBytes = 150 + id, BodyBytes = 1L << (10 + id), DiscoveryMs = kind == ResourceKind.Stylesheet ? 0.0 : kind == ResourceKind.Iframe ? 3.5 : null,
                ParsedBytes = kind == ResourceKind.Stylesheet ? 4_194_303 : kind == ResourceKind.Iframe ? 0 : null,
                DiscoveryLimit = kind == ResourceKind.Stylesheet ? DiscoveryLimit.ParseCap : kind == ResourceKind.Iframe ? DiscoveryLimit.PageBudget : null,
                // The image as one of the first five boosted to Medium: what its kind alone would not say.
                Priority = kind switch
                {
                    ResourceKind.Stylesheet or ResourceKind.Font or ResourceKind.Iframe => "VeryHigh",
                    ResourceKind.Script => "High",
                    ResourceKind.Image or ResourceKind.Other => "Medium",
                    _ => "Low",
                },
                RequestHeaders = [new("Accept-Encoding", "gzip, deflate")],
                ResponseHeaders = [new("Content-Length", (1L << (10 + id)).ToString(System.Globalization.CultureInfo.InvariantCulture))],
            });
            id++;
        }

        objects.Add(new ObjectRecord
        {
            Id = id, Url = "https://other.test/missing.png", Kind = ResourceKind.Image, Initiator = Initiator.Parser, ParentId = 2,
            ConnectionId = 3, StartMs = 41, EndMs = 30_041, Time = 30_000, Timings = new ObjectTimings(0, 2, 30_000, -1, 0, 0, 0),
            Error = "timeout: no response in 30000 ms", ErrorKind = ErrorKind.Timeout, HeaderBytes = 0, BodyBytes = 0,
        });
        objects.Add(new ObjectRecord
        {
            Id = id + 1, Url = "https://example.test/cut.css", Kind = ResourceKind.Stylesheet, Initiator = Initiator.Parser, ParentId = 2,
            ConnectionId = null, StartMs = 41, EndMs = 41, Time = 0, Timings = ObjectTimings.None, Error = "truncated: 10 of 100 bytes", ErrorKind = ErrorKind.Truncated,
            Status = 200, HttpVersion = "HTTP/1.0", StatusText = "", HeaderBytes = 90, BodyBytes = 10,
        });

        var document = new PageLoadDocument
        {
            Id = 0,
            Url = url,
            FinalUrl = "https://example.test/page",
            StartedAt = Noon.AddTicks(1_234_567),
            Status = PageLoadStatus.Partial,
            Error = null,
            Options = new LoadOptions
            {
                Strategy = strategy, MaxConnectionsPerHost = 6, PipelineDepth = 3, ObjectTimeoutMs = 30_000,
                ConnectTimeoutMs = 2_500, MaxObjects = 9, MaxBodyBytes = 123_456_789, Insecure = true,
            },
            Objects = objects,
            PortsUsed = [50412, 50414],
            TimeWaitSockets = 1,
            Connections =
            [
                new ConnectionRecord
                {
                    Id = 1, Scheme = "http", Host = "example.test", Port = 80, RemoteAddress = "127.0.0.1", RemotePort = 80,
                    LocalAddress = "127.0.0.1", LocalPort = 50412, OpenedMs = 0.1, ClosedMs = 12.4, DnsMs = 1.2, ConnectMs = 0.3, SslMs = -1,
                    Requests = 1, CloseReason = CloseReason.ServerClose, TimeWait = true, ClosedBy = ClosedBy.Client,
                    TcpInfo = new TcpInfoRecord
                    {
                        RttMs = 0.041, RttVarMs = 0.0205, MinRttMs = 0.012, CongestionWindow = 10, SlowStartThreshold = int.MaxValue, SendMss = 32768,
                        Retransmits = 0, BytesAcked = 301, BytesReceived = 18_320, BytesSent = 301, SegmentsOut = 6, SegmentsIn = 5, DeliveryRateBytesPerSecond = 1_234_567_890,
                    },
                },
                new ConnectionRecord
                {
                    Id = 2, Scheme = "https", Host = "example.test", Port = 443, RemoteAddress = "::1", RemotePort = 443,
                    LocalAddress = "::1", LocalPort = 50413, OpenedMs = 12.5, ClosedMs = null, DnsMs = -1, ConnectMs = 9.5, SslMs = 6.25,
                    Proxy = "http://proxy.test:3128", ProxyMs = 1.75,
                    Requests = 8, CloseReason = CloseReason.KeepAliveMax, KeepAlive = new KeepAliveRecord(5, 100), TlsProtocol = "Tls13",
                    Protocol = "h2", PeakConcurrentStreams = 6, GoAway = "last-stream-id 15, NO_ERROR",
                    PeerSettings = new() { ["SETTINGS_MAX_CONCURRENT_STREAMS"] = 128, ["SETTINGS_INITIAL_WINDOW_SIZE"] = 65_536, ["SETTINGS_MAX_FRAME_SIZE"] = 16_777_215 },
                },
                new ConnectionRecord
                {
                    Id = 3, Scheme = "https", Host = "other.test", Port = 8443, RemoteAddress = null, RemotePort = 0,
                    LocalAddress = null, LocalPort = 0, OpenedMs = 41, ClosedMs = 30_041, DnsMs = 2, ConnectMs = 30_000, SslMs = -1,
                    Requests = 0, CloseReason = CloseReason.Error, KeepAlive = new KeepAliveRecord(null, 3),
                    Error = "connect timeout after 10000 ms", ErrorKind = ErrorKind.Timeout, TimeWait = false, ClosedBy = ClosedBy.Server,
                },
            ],
            ObjectsNotFetched = 4,
            ConcurrentLoads = 3,
        };
        PageMetricsCalculator.Compute(document);
        return document;
    }

    /// <summary>A small completed load with chosen figures, for lists and trends.</summary>
    public static PageLoadDocument Simple(string url, DateTimeOffset startedAt, ConnectionStrategy strategy = ConnectionStrategy.Persistent,
        PageLoadStatus status = PageLoadStatus.Completed, double perceivedMs = 100, double actualMs = 200, int objects = 1)
    {
        var document = new PageLoadDocument
        {
            Url = url,
            FinalUrl = url,
            StartedAt = startedAt,
            Status = status,
            Error = status == PageLoadStatus.Failed ? "connection refused" : null,
            ErrorKind = status == PageLoadStatus.Failed ? ErrorKind.Refused : null,
            Options = new LoadOptions { Strategy = strategy },
        };
        for (var i = 1; i <= objects; i++)
        {
            document.Objects.Add(new ObjectRecord
            {
                Id = i, Url = i == 1 ? url : $"{url}/img{i}.png", Kind = i == 1 ? ResourceKind.Document : ResourceKind.Image,
                Initiator = i == 1 ? Initiator.Navigation : Initiator.Parser, ConnectionId = 1, ReusedConnection = i > 1,
                StartMs = i, EndMs = i + 10, Time = 10, Timings = new ObjectTimings(0, -1, -1, -1, 1, 5, 4), Status = 200, StatusText = "OK",
                HttpVersion = "HTTP/1.1", HeaderBytes = 100, BodyBytes = 1000,
            });
        }

        document.Connections.Add(new ConnectionRecord { Id = 1, Scheme = "http", Host = new Uri(url).Host, Port = 80, Requests = objects, CloseReason = CloseReason.PageDone });
        PageMetricsCalculator.Compute(document);
        document.Metrics.PerceivedMs = perceivedMs;
        document.Metrics.ActualMs = actualMs;
        return document;
    }
}
