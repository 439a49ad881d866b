using System.Text.Json;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.Har;
using FetchAgent.TestServers;

namespace FetchAgent.Tests.Har;

/// <summary>Issue 10, item 6, in HAR: <c>_errorKind</c> beside <c>_error</c>, and kinds read back on import, Chrome's net errors included.</summary>
public sealed class HarErrorKindTests
{
    [Fact]
    public async Task An_exported_HAR_carries_each_errors_kind_and_an_import_reads_them_back()
    {
        int gonePort;
        await using (var gone = new StaticOrigin())
            gonePort = gone.Port;
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Html($"<img src=/broken.png><img src=http://127.0.0.1:{gonePort}/away.png>"))
            .Add("/broken.png", SiteResource.Hostile("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort"));
        var document = await new PageLoader().LoadAsync(site.Url("/"), new LoadOptions { ObjectTimeoutMs = 5000 });
        var json = JsonSerializer.Serialize(HarBuilder.Build(document), HarBuilder.Json);
        var log = JsonDocument.Parse(json).RootElement.GetProperty("log");

        var entries = log.GetProperty("entries").EnumerateArray().ToDictionary(e => new Uri(e.GetProperty("request").GetProperty("url").GetString()!).AbsolutePath);
        Assert.Equal(
            [("/", null, null), ("/broken.png", "truncated", "truncated"), ("/away.png", "refused", "refused")],
            entries.Select(e => (e.Key, Kind(e.Value.GetProperty("response"), "_errorKind"), Kind(e.Value.GetProperty("_fetchAgent"), "errorKind"))));
        var refused = log.GetProperty("_connections").EnumerateArray().Single(c => c.GetProperty("port").GetInt32() == gonePort);
        Assert.Equal(($"connect: 127.0.0.1:{gonePort} connection refused", "refused"), (refused.GetProperty("error").GetString(), refused.GetProperty("errorKind").GetString()));
        Assert.False(log.GetProperty("pages")[0].GetProperty("_fetchAgent").TryGetProperty("errorKind", out _)); // a partial page has no error

        var (imported, _, problem) = HarImporter.Import(JsonDocument.Parse(json).RootElement);
        Assert.Null(problem);
        Assert.Equal(
            document.Objects.Select(o => (o.Url, o.Error, o.ErrorKind)),
            imported!.Objects.Select(o => (o.Url, o.Error, o.ErrorKind)));
        Assert.Equal(
            document.Connections.Select(c => (c.Id, c.Error, c.ErrorKind)),
            imported.Connections.Select(c => (c.Id, c.Error, c.ErrorKind)));
        await HarValidator.AssertValidAsync([await WriteAsync(json)]);
    }

    [Theory]
    [InlineData("net::ERR_NAME_NOT_RESOLVED", ErrorKind.Dns)]
    [InlineData("net::ERR_CONNECTION_REFUSED", ErrorKind.Refused)]
    [InlineData("net::ERR_CONNECTION_RESET", ErrorKind.Reset)]
    [InlineData("net::ERR_CONNECTION_TIMED_OUT", ErrorKind.Timeout)]
    [InlineData("net::ERR_CERT_AUTHORITY_INVALID", ErrorKind.Tls)]
    [InlineData("net::ERR_SSL_PROTOCOL_ERROR", ErrorKind.Tls)]
    [InlineData("net::ERR_BLOCKED_BY_CLIENT", ErrorKind.Policy)]
    [InlineData("net::ERR_CONTENT_LENGTH_MISMATCH", ErrorKind.Truncated)]
    [InlineData("net::ERR_INVALID_HTTP_RESPONSE", ErrorKind.Protocol)]
    [InlineData("net::ERR_CONTENT_DECODING_FAILED", ErrorKind.Decoding)]
    [InlineData("net::ERR_TOO_MANY_REDIRECTS", ErrorKind.Redirect)]
    [InlineData("net::ERR_ABORTED", ErrorKind.Cancelled)]
    [InlineData("net::ERR_SOMETHING_NEW", null)]
    public void A_chrome_HARs_net_error_gets_the_same_kind_a_fetchagent_load_would(string error, ErrorKind? kind)
    {
        // Chrome's HAR: status 0 and the net error's name in response._error.
        var har = $$"""
            { "log": { "version": "1.2", "creator": { "name": "WebInspector", "version": "537.36" },
              "pages": [ { "startedDateTime": "2026-11-21T10:00:00.000Z", "id": "page_1", "title": "t", "pageTimings": { "onContentLoad": 10, "onLoad": 20 } } ],
              "entries": [
                { "pageref": "page_1", "startedDateTime": "2026-11-21T10:00:00.000Z", "time": 5,
                  "request": { "method": "GET", "url": "http://127.0.0.1/", "httpVersion": "HTTP/1.1", "headers": [], "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0 },
                  "response": { "status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "headers": [], "cookies": [], "content": { "size": 10, "mimeType": "text/html" }, "redirectURL": "", "headersSize": -1, "bodySize": 10 },
                  "cache": {}, "timings": { "blocked": 1, "dns": -1, "connect": -1, "send": 1, "wait": 2, "receive": 1, "ssl": -1 } },
                { "pageref": "page_1", "startedDateTime": "2026-11-21T10:00:00.010Z", "time": 3,
                  "request": { "method": "GET", "url": "http://127.0.0.1/a.png", "httpVersion": "HTTP/1.1", "headers": [], "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0 },
                  "response": { "status": 0, "statusText": "", "httpVersion": "", "headers": [], "cookies": [], "content": { "size": 0, "mimeType": "x-unknown" }, "redirectURL": "", "headersSize": -1, "bodySize": -1, "_error": "{{error}}" },
                  "cache": {}, "timings": { "blocked": 3, "dns": -1, "connect": -1, "send": 0, "wait": 0, "receive": 0, "ssl": -1 } } ] } }
            """;
        var (document, _, problem) = HarImporter.Import(JsonDocument.Parse(har).RootElement);

        Assert.Null(problem);
        var failed = document!.Objects.Single(o => o.Url.EndsWith("/a.png", StringComparison.Ordinal));
        Assert.Equal((error, kind), (failed.Error, failed.ErrorKind));
        Assert.Equal(PageLoadStatus.Partial, document.Status);
    }

    private static string? Kind(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.GetString() : null;

    private static async Task<string> WriteAsync(string json)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("fetchagent-har-kind-").FullName, "load.har");
        await File.WriteAllTextAsync(file, json);
        return file;
    }
}
