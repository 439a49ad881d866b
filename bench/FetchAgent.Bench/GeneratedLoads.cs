using System.Globalization;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Timeline;

namespace FetchAgent.Bench;

/// <summary>
/// Page-load documents shaped like real ones for the storage bench: a few URLs on a few hosts, every
/// strategy, a document then stylesheets, scripts, fonts and images, browser-like request and response
/// headers, HAR timings (-1 on reused connections) and a few failures. Seeded, so runs store the same bytes.
/// </summary>
public sealed class GeneratedLoads(int objectsPerLoad, int seed)
{
    public static readonly string[] Urls =
    [
        "https://www.example.test/",
        "https://www.example.test/news/today",
        "https://shop.example.test/",
        "https://shop.example.test/cart?step=2",
        "http://blog.example.test/2026/11/http-connections",
    ];

    private static readonly ConnectionStrategy[] Strategies = Enum.GetValues<ConnectionStrategy>();
    private static readonly DateTimeOffset FirstStart = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Random _random = new(seed);
    private int _sequence;

    /// <summary>The next load: URLs and strategies take turns; each starts 30 to 90 s after the one before.</summary>
    public PageLoadDocument Next()
    {
        var n = _sequence++;
        var url = Urls[n % Urls.Length];
        var uri = new Uri(url);
        var strategy = Strategies[n / Urls.Length % Strategies.Length];
        var reuse = strategy is ConnectionStrategy.Persistent or ConnectionStrategy.Pipelined;
        var document = new PageLoadDocument
        {
            Url = url,
            FinalUrl = url,
            StartedAt = FirstStart.AddSeconds(n * 60.0).AddMilliseconds(_random.Next(-30_000, 30_000) / 1.0 + _random.NextDouble()),
            Status = PageLoadStatus.Completed,
            Options = new LoadOptions { Strategy = strategy, MaxConnectionsPerHost = strategy == ConnectionStrategy.Serial ? 1 : 6 },
        };

        var connectionCount = reuse ? 2 + _random.Next(5) : objectsPerLoad;
        var clock = 0.0;
        for (var id = 1; id <= objectsPerLoad; id++)
        {
            var connectionId = reuse ? 1 + (id - 1) % connectionCount : id;
            var reused = reuse && id > connectionCount;
            var kind = KindOf(id);
            var failed = _random.Next(100) == 0;
            var timings = new ObjectTimings(
                Blocked: Round(_random.NextDouble() * 20),
                Dns: reused ? -1 : Round(_random.NextDouble() * 3),
                Connect: reused ? -1 : Round(2 + _random.NextDouble() * 10),
                Ssl: reused || uri.Scheme == "http" ? -1 : Round(1 + _random.NextDouble() * 6),
                Send: Round(_random.NextDouble() * 0.2),
                Wait: Round(5 + _random.NextDouble() * 80),
                Receive: Round(_random.NextDouble() * 40));
            var start = id == 1 ? 0 : Round(clock * 0.5 + _random.NextDouble() * 50);
            var bodyBytes = kind switch
            {
                ResourceKind.Document => 30_000 + _random.Next(60_000),
                ResourceKind.Image => 2_000 + _random.Next(200_000),
                _ => 1_000 + _random.Next(80_000),
            };
            var path = id == 1 ? uri.PathAndQuery : $"/static/{kind.ToString().ToLowerInvariant()}/{id:D3}-{_random.Next():x8}{Extension(kind)}";
            var objectUrl = new Uri(uri, path).ToString();
            document.Objects.Add(new ObjectRecord
            {
                Id = id,
                Url = objectUrl,
                Kind = kind,
                Initiator = id == 1 ? Initiator.Navigation : kind == ResourceKind.Font ? Initiator.Css : Initiator.Parser,
                ParentId = id == 1 ? null : 1,
                RenderBlocking = kind == ResourceKind.Stylesheet,
                ParserBlocking = kind == ResourceKind.Script && id % 2 == 0,
                ConnectionId = connectionId,
                ReusedConnection = reused,
                StartMs = start,
                EndMs = start + timings.Total,
                Time = timings.Total,
                Timings = timings,
                HttpVersion = "HTTP/1.1",
                Status = failed ? null : 200,
                StatusText = failed ? null : "OK",
                ContentType = failed ? null : ContentType(kind),
                HeaderBytes = failed ? 0 : 280 + _random.Next(200),
                BodyBytes = failed ? 0 : bodyBytes,
                Error = failed ? $"truncated: {bodyBytes / 3} of {bodyBytes} bytes" : null,
                RequestHeaders =
                [
                    new("Host", uri.Authority),
                    new("User-Agent", "FetchAgent/0.1 (+https://github.com/fetchagent)"),
                    new("Accept", kind == ResourceKind.Document ? "text/html,application/xhtml+xml" : "*/*"),
                    new("Accept-Encoding", "gzip, deflate"),
                ],
                ResponseHeaders = failed ? [] :
                [
                    new("Server", "nginx/1.22.1"),
                    new("Date", document.StartedAt.AddMilliseconds(start).ToString("r", CultureInfo.InvariantCulture)),
                    new("Content-Type", ContentType(kind)),
                    new("Content-Length", bodyBytes.ToString(CultureInfo.InvariantCulture)),
                    new("Last-Modified", "Mon, 02 Nov 2026 10:00:00 GMT"),
                    new("ETag", $"\"{_random.Next():x8}-{bodyBytes:x}\""),
                    new("Cache-Control", "max-age=3600"),
                ],
            });
            clock = Math.Max(clock, start + timings.Total);
        }

        for (var id = 1; id <= connectionCount; id++)
        {
            document.Connections.Add(new ConnectionRecord
            {
                Id = id,
                Scheme = uri.Scheme,
                Host = uri.Host,
                Port = uri.Port,
                RemoteAddress = "192.0.2.10",
                RemotePort = uri.Port,
                LocalAddress = "192.0.2.1",
                LocalPort = 40_000 + _random.Next(20_000),
                OpenedMs = Round(_random.NextDouble() * clock / 2),
                ClosedMs = Round(clock),
                DnsMs = id == 1 ? Round(_random.NextDouble() * 3) : -1,
                ConnectMs = Round(2 + _random.NextDouble() * 10),
                SslMs = uri.Scheme == "https" ? Round(1 + _random.NextDouble() * 6) : -1,
                Requests = reuse ? (objectsPerLoad + connectionCount - id) / connectionCount : 1,
                CloseReason = reuse ? CloseReason.PageDone : CloseReason.ClientClose,
                KeepAlive = reuse ? new KeepAliveRecord(5, 100) : null,
                TlsProtocol = uri.Scheme == "https" ? "Tls13" : null,
            });
        }

        PageMetricsCalculator.Compute(document);
        return document;
    }

    /// <summary>The document, then 10 % stylesheets, 10 % scripts, a few fonts, the rest images.</summary>
    private ResourceKind KindOf(int id)
    {
        if (id == 1)
            return ResourceKind.Document;
        var share = (double)id / objectsPerLoad;
        return share switch
        {
            <= 0.12 => ResourceKind.Stylesheet,
            <= 0.22 => ResourceKind.Script,
            <= 0.28 => ResourceKind.Font,
            _ => ResourceKind.Image,
        };
    }

    private static string Extension(ResourceKind kind) => kind switch
    {
        ResourceKind.Stylesheet => ".css",
        ResourceKind.Script => ".js",
        ResourceKind.Font => ".woff2",
        _ => ".png",
    };

    private static string ContentType(ResourceKind kind) => kind switch
    {
        ResourceKind.Document => "text/html; charset=utf-8",
        ResourceKind.Stylesheet => "text/css",
        ResourceKind.Script => "application/javascript",
        ResourceKind.Font => "font/woff2",
        _ => "image/png",
    };

    /// <summary>A stopwatch reading in ms, as the engine records it (microsecond resolution).</summary>
    private static double Round(double ms) => Math.Round(ms, 3);
}
