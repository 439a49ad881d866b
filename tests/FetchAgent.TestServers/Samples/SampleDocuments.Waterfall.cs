using FetchAgent.Engine.Model;
using FetchAgent.Engine.Timeline;

namespace FetchAgent.TestServers.Samples;

public static partial class SampleDocuments
{
    /// <summary>A page load for the terminal waterfall: every phase, a reused connection, a redirect and a failed object.</summary>
    public static PageLoadDocument Waterfall(ConnectionStrategy strategy = ConnectionStrategy.Persistent)
    {
        var document = new PageLoadDocument
        {
            Url = "http://example.test/start",
            FinalUrl = "http://example.test/index.html",
            Options = new LoadOptions { Strategy = strategy },
            Status = PageLoadStatus.Partial,
            Objects =
            [
                Object(1, ResourceKind.Document, "http://example.test/start", 0, new(0, 20, 30, -1, 1, 40, 2), 301, 0, connection: 1),
                Object(2, ResourceKind.Document, "http://example.test/index.html", 93, new(0, -1, -1, -1, 1, 60, 50), 200, 12_000, connection: 1, reused: true),
                Object(3, ResourceKind.Stylesheet, "http://example.test/css/site.css", 210, new(10, -1, 35, -1, 1, 50, 40), 200, 4_000, connection: 2, renderBlocking: true),
                Object(4, ResourceKind.Script, "http://cdn.example.test/js/app.js", 215, new(5, 25, 30, 18, 1, 200, 60), 200, 90_000, connection: 3, parserBlocking: true),
                Object(5, ResourceKind.Image, "http://example.test/images/a/very/long/path/that/will/not/fit/in/the/column/hero.jpg", 400, new(30, -1, -1, -1, 1, 20, 300), 200, 2_500_000, connection: 1, reused: true),
                Object(6, ResourceKind.Font, "http://example.test/fonts/body.woff2", 420, new(0, -1, -1, -1, 1, 80, 30), 200, 30_000, connection: 2, reused: true),
                Object(7, ResourceKind.Image, "http://example.test/images/missing.png", 430, new(0, -1, -1, -1, 1, 40, 5), null, 10, connection: 2, reused: true, error: "truncated: 10 of 100 bytes"),
            ],
            Connections =
            [
                new() { Id = 1, Scheme = "http", Host = "example.test", Port = 80 },
                new() { Id = 2, Scheme = "http", Host = "example.test", Port = 80 },
                new() { Id = 3, Scheme = "https", Host = "cdn.example.test", Port = 443 },
            ],
        };
        PageMetricsCalculator.Compute(document);
        return document;
    }
}
