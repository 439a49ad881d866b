using System.Globalization;
using System.Text.Json;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;

namespace FetchAgent.Har;

/// <summary>Turns a page-load document into HAR 1.2: one page (and one for its repeat view), one entry per object, HAR's timing rules.</summary>
public static class HarBuilder
{
    public const string PageId = "page_1";

    /// <summary>The repeat view's page (issue 15): <c>pages[1]</c>, its entries after the first view's.</summary>
    public const string RepeatPageId = "page_2";

    public static HarFile Build(PageLoadDocument document)
    {
        var (page, entries) = Page(document, PageId);
        var pages = new List<HarPage> { page };
        if (document.RepeatView is { } repeat)
        {
            // A page per view, as WebPageTest's HAR has; log._connections stays the first view's (the repeat view's
            // connection ids start at 1 again: its entries' connection field names its own).
            var (repeatPage, repeatEntries) = Page(repeat, RepeatPageId);
            pages.Add(repeatPage with { Title = "Repeat view: " + repeatPage.Title });
            entries.AddRange(repeatEntries);
        }

        var log = new HarLog("1.2", new HarCreator("FetchAgent", typeof(HarBuilder).Assembly.GetName().Version?.ToString(3) ?? "0.1"), pages, entries)
        {
            Connections = document.Connections.Select(c => new HarConnection(
                c.Id, c.Scheme, c.Host, c.Port, c.RemoteAddress, c.RemotePort, c.LocalAddress, c.LocalPort, c.OpenedMs, c.ClosedMs, c.Requests,
                c.CloseReason is { } reason ? DocumentJson.Name(reason) : null, c.TlsProtocol)
            {
                Error = c.Error,
                ErrorKind = KindName(c.ErrorKind),
                Proxy = c.Proxy,
                ProxyMs = c.Proxy is null ? null : c.ProxyMs,
            }).ToList(),
        };
        return new HarFile(log);
    }

    private static (HarPage Page, List<HarEntry> Entries) Page(PageLoadDocument document, string pageId)
    {
        var connections = document.Connections.ToDictionary(c => c.Id);
        var metrics = document.Metrics;
        // The document's <title> when it is known (an imported HAR's page title; the engine does not record it yet), else its URL.
        var page = new HarPage(Time(document.StartedAt, 0), pageId, string.IsNullOrWhiteSpace(document.Title) ? document.FinalUrl ?? document.Url : document.Title, new HarPageTimings(metrics.DomContentLoadedMs, metrics.OnLoadMs))
        {
            FetchAgent = new HarPageExtension(
                document.Id, DocumentJson.Name(document.Status), document.Error, DocumentJson.Name(document.Options.Strategy), metrics.TtfbMs, metrics.StartRenderMs, metrics.SpeedIndexMs,
                metrics.VisuallyCompleteMs, metrics.PerceivedMs, metrics.ActualMs, metrics.ConnectionCount, metrics.ReusedRequests, metrics.RetriedRequests, metrics.Bytes,
                document.ConcurrentLoads)
            {
                ErrorKind = KindName(document.ErrorKind),
            },
        };
        var entries = document.Objects.OrderBy(o => o.StartMs).ThenBy(o => o.Id)
            .Select(o => Entry(document, pageId, o, o.ConnectionId is { } id && connections.TryGetValue(id, out var c) ? c : null))
            .ToList();
        var urls = document.Objects.ToDictionary(o => o.Id, o => o.Url);
        entries = entries.Select(e => e with
        {
            ResourceType = ChromeResourceType(e.FetchAgent.Kind),
            Initiator = ChromeInitiator(e.FetchAgent.Initiator, e.FetchAgent.ParentId is { } parent && urls.TryGetValue(parent, out var from) ? from : null),
            Priority = ChromePriority(document.Objects.First(o => o.Id == e.FetchAgent.ObjectId)),
        }).ToList();
        return (page, entries);
    }

    private static string HarVersion(string version) => version == "HTTP/2" ? "h2" : version;

    private static HarEntry Entry(PageLoadDocument document, string pageId, ObjectRecord o, ConnectionRecord? connection)
    {
        var url = new Uri(o.Url);
        // HTTP/2 is written "h2", ALPN's id, as Chrome's HAR writes it.
        var version = HarVersion(o.HttpVersion ?? "HTTP/1.1");
        var request = new HarRequest(o.Method, o.Url, version, [], Pairs(o.RequestHeaders), Query(url), RequestHeadersSize(o, url), 0);
        var response = new HarResponse(
            o.Status ?? 0, o.StatusText ?? "", HarVersion(o.HttpVersion ?? ""), [], Pairs(o.ResponseHeaders),
            Content(o), o.RedirectUrl ?? "",
            o.Status is null ? -1 : o.HeaderBytes, o.Status is null ? -1 : o.BodyBytes)
        {
            Error = o.Error,
            ErrorKind = KindName(o.ErrorKind),
        };
        var t = o.Timings;
        var timings = new HarTimings(t.Blocked, t.Dns, t.Connect, Math.Max(0, t.Send), Math.Max(0, t.Wait), Math.Max(0, t.Receive), t.Ssl)
        {
            Proxy = t.Proxy >= 0 ? t.Proxy : null,
        };
        return new HarEntry(pageId, Time(document.StartedAt, o.StartMs), o.Time, request, response, Cache(o.Cache), timings, connection?.RemoteAddress, o.ConnectionId?.ToString(CultureInfo.InvariantCulture))
        {
            FetchAgent = new HarEntryExtension(
                o.Id, DocumentJson.Name(o.Kind), DocumentJson.Name(o.Initiator), o.ParentId, o.RenderBlocking, o.ParserBlocking, o.ConnectionId, o.ReusedConnection, o.Retries,
                o.StartMs, o.EndMs, connection?.LocalAddress, connection?.LocalPort, connection?.RemotePort, o.Error)
            {
                ErrorKind = KindName(o.ErrorKind),
            },
            DiscoveryMs = o.DiscoveryMs,
            ParsedBytes = o.ParsedBytes,
            DiscoveryLimit = o.DiscoveryLimit is { } limit ? DocumentJson.Name(limit) : null,
            FromCache = o.FromCache ? true : null,
            Revalidated = o.Revalidated ? true : null,
        };
    }

    /// <summary>HAR's content: the decoded size when known, and what the coding saved when the body had one (HAR 1.2 §content).</summary>
    private static HarContent Content(ObjectRecord o)
    {
        var coded = o.ResponseHeaders.Any(h => h.Name.Equals("Content-Encoding", StringComparison.OrdinalIgnoreCase) && !h.Value.Trim().Equals("identity", StringComparison.OrdinalIgnoreCase));
        return new HarContent(o.DecodedBytes ?? o.BodyBytes, o.ContentType ?? "x-unknown")
        {
            Compression = coded && o.DecodedBytes is { } decoded ? decoded - o.BodyBytes : null,
        };
    }

    private static string? KindName(ErrorKind? kind) => kind is { } k ? DocumentJson.Name(k) : null;

    /// <summary>Chrome's <c>_resourceType</c> (DevTools' Type column): its names for FetchAgent's kinds.</summary>
    public static string ChromeResourceType(string kind) => kind switch
    {
        "document" or "iframe" => "document",
        "stylesheet" => "stylesheet",
        "script" => "script",
        "image" => "image",
        "font" => "font",
        "media" => "media",
        _ => "other",
    };

    /// <summary>Chrome's <c>_initiator</c>: <c>parser</c> with the referring document's or stylesheet's URL, else <c>other</c> (navigation, redirect).</summary>
    private static HarInitiator ChromeInitiator(string initiator, string? parentUrl) =>
        initiator is "parser" or "css" && parentUrl is not null ? new HarInitiator("parser", parentUrl) : new HarInitiator("other", null);

    /// <summary>
    /// Chrome's <c>_priority</c>: the priority the request went out at; for a load stored before it was kept, the one
    /// FetchAgent's rules give its kind (an image boosted to Medium then shows as Low).
    /// </summary>
    private static string ChromePriority(ObjectRecord o) => o.Priority ?? RequestPriority.Name(o);

    /// <summary>The request line and field lines exactly as sent (ASCII), and the empty line: RFC 9112 §3.</summary>
    private static long RequestHeadersSize(ObjectRecord o, Uri url)
    {
        if (o.RequestHeaders.Count == 0)
            return -1;
        var size = $"{o.Method} {url.PathAndQuery} HTTP/1.1\r\n".Length + 2L;
        foreach (var header in o.RequestHeaders)
            size += header.Name.Length + 2 + header.Value.Length + 2;
        return size;
    }

    private static List<HarNameValue> Pairs(IEnumerable<HeaderRecord> headers) => headers.Select(h => new HarNameValue(h.Name, h.Value)).ToList();

    private static List<HarNameValue> Query(Uri url)
    {
        var query = url.Query.TrimStart('?');
        if (query.Length == 0)
            return [];
        return query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair =>
        {
            var at = pair.IndexOf('=');
            return at < 0
                ? new HarNameValue(Uri.UnescapeDataString(pair), "")
                : new HarNameValue(Uri.UnescapeDataString(pair[..at].Replace('+', ' ')), Uri.UnescapeDataString(pair[(at + 1)..].Replace('+', ' ')));
        }).ToList();
    }

    /// <summary>ISO 8601 with milliseconds and offset, as HAR wants: the page's wall-clock start plus monotonic ms.</summary>
    /// <summary>HAR 1.2 <c>cache</c>: the object's entry before and after its request, on loads with a cache; empty otherwise.</summary>
    private static HarCache Cache(ObjectCacheRecord? cache) =>
        cache is null ? [] : new HarCache { ["beforeRequest"] = Entry(cache.BeforeRequest), ["afterRequest"] = Entry(cache.AfterRequest) };

    private static HarCacheEntry? Entry(CacheEntryRecord? entry) =>
        entry is null ? null : new HarCacheEntry(Instant(entry.Expires), Instant(entry.LastAccess), entry.ETag ?? "", entry.HitCount);

    private static string Instant(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffK", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset startedAt, double ms) =>
        startedAt.ToUniversalTime().AddTicks((long)Math.Round(ms * TimeSpan.TicksPerMillisecond)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffK", CultureInfo.InvariantCulture);

    /// <summary>HAR is plain camelCase JSON (enums already written as strings above).</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
