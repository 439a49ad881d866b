using System.Globalization;
using System.Text.Json;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Timeline;

namespace FetchAgent.Har;

/// <summary>
/// Turns a HAR 1.2 file (from Chrome, Firefox, WebPageTest, or FetchAgent itself) into a page-load document, so
/// FetchAgent's waterfall can show it: the first page's entries become objects (in start order), HAR timings their
/// phases, <c>connection</c> ids their connections. FetchAgent's own <c>_fetchAgent</c> fields, when present, are
/// taken as they are, so an exported HAR imported again gives the same waterfall.
/// </summary>
public static class HarImporter
{
    /// <summary>The document, or the field and problem that made the HAR unusable.</summary>
    public static (PageLoadDocument? Document, string? Field, string? Problem) Import(JsonElement har)
    {
        if (har.ValueKind != JsonValueKind.Object || !har.TryGetProperty("log", out var log) || log.ValueKind != JsonValueKind.Object)
            return (null, "log", "is required: a HAR 1.2 file is { \"log\": { \"entries\": [...] } }");
        if (!log.TryGetProperty("entries", out var entriesElement) || entriesElement.ValueKind != JsonValueKind.Array || entriesElement.GetArrayLength() == 0)
            return (null, "log.entries", "must be a non-empty array");

        JsonElement? page = log.TryGetProperty("pages", out var pages) && pages.ValueKind == JsonValueKind.Array && pages.GetArrayLength() > 0 ? pages[0] : null;
        var pageId = page is { } p0 ? Text(p0, "id") : null;
        var entries = entriesElement.EnumerateArray()
            .Where(e => e.ValueKind == JsonValueKind.Object && (pageId is null || Text(e, "pageref") is not { } pageref || pageref == pageId))
            .Select((e, i) => (Entry: e, Index: i, Started: Time(Text(e, "startedDateTime"))))
            .ToList();
        if (entries.Count == 0)
            return (null, "log.entries", $"has no entry of the first page ({pageId})");
        foreach (var (entry, index, _) in entries)
        {
            if (!entry.TryGetProperty("request", out var request) || Text(request, "url") is not { } url || !Uri.TryCreate(url, UriKind.Absolute, out _))
                return (null, $"log.entries[{index}].request.url", "must be an absolute URL");
            if (!entry.TryGetProperty("response", out var response) || response.ValueKind != JsonValueKind.Object)
                return (null, $"log.entries[{index}].response", "is required");
        }

        var startedAt = (page is { } p1 ? Time(Text(p1, "startedDateTime")) : null) ?? entries.Min(e => e.Started) ?? DateTimeOffset.UnixEpoch;
        var fromFetchAgent = entries.All(e => e.Entry.TryGetProperty("_fetchAgent", out _));
        // FetchAgent's HAR lists entries by start; a browser's mostly does too. Sort, keeping the file's order for ties.
        var ordered = fromFetchAgent
            ? entries.OrderBy(e => Number(e.Entry.GetProperty("_fetchAgent"), "objectId") ?? e.Index).ToList()
            : entries.OrderBy(e => e.Started ?? startedAt).ThenBy(e => e.Index).ToList();

        var connectionIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var objects = new List<ObjectRecord>();
        foreach (var (entry, _, started) in ordered)
            objects.Add(Object(entry, objects.Count + 1, started, startedAt, fromFetchAgent, connectionIds));
        if (!fromFetchAgent)
            Classify(objects, ordered.Select(o => o.Entry).ToList());

        var document = new PageLoadDocument
        {
            Url = objects[0].Url,
            FinalUrl = objects.Where(o => o.Kind == ResourceKind.Document).MaxBy(o => o.Id)?.Url ?? objects[0].Url,
            StartedAt = startedAt,
            Options = Options(page),
            Objects = objects,
            Title = page is { } p2 ? Text(p2, "title") : null,
            ImportedFrom = Creator(log),
        };
        document.Connections = Connections(log, objects, connectionIds, fromFetchAgent);
        PageMetricsCalculator.Compute(document);
        if (!fromFetchAgent && page is { } p3 && p3.TryGetProperty("pageTimings", out var timings))
        {
            // What the browser itself measured beats FetchAgent's model of it.
            if (Number(timings, "onContentLoad") is > 0 and var contentLoad)
                document.Metrics.DomContentLoadedMs = contentLoad;
            if (Number(timings, "onLoad") is > 0 and var load)
                document.Metrics.OnLoadMs = load;
        }

        var main = objects.Where(o => o.Kind == ResourceKind.Document).MaxBy(o => o.Id);
        document.Status = main is null || main.Error is not null || main.Status is null ? PageLoadStatus.Failed
            : objects.Any(o => o.Error is not null) ? PageLoadStatus.Partial : PageLoadStatus.Completed;
        if (document.Status == PageLoadStatus.Failed)
            (document.Error, document.ErrorKind) = (main?.Error ?? "the HAR has no document", main?.ErrorKind);
        if (fromFetchAgent && page is { } p4 && p4.TryGetProperty("_fetchAgent", out var own))
        {
            // FetchAgent's own record of the load wins over what the objects say.
            document.Status = Enum<PageLoadStatus>(Text(own, "status")) ?? document.Status;
            document.Error = Text(own, "error");
            document.ErrorKind = document.Error is null ? null : Enum<ErrorKind>(Text(own, "errorKind"));
            document.ConcurrentLoads = (int)(Number(own, "concurrentLoads") ?? 0);
        }

        return (document, null, null);
    }

    private static ObjectRecord Object(JsonElement entry, int id, DateTimeOffset? started, DateTimeOffset pageStart, bool fromFetchAgent, Dictionary<string, int> connectionIds)
    {
        var request = entry.GetProperty("request");
        var response = entry.GetProperty("response");
        var timings = entry.TryGetProperty("timings", out var t) && t.ValueKind == JsonValueKind.Object ? t : default;
        double Phase(string name, double missing) => timings.ValueKind == JsonValueKind.Object && Number(timings, name) is { } v ? v : missing;
        var phases = new ObjectTimings(Phase("blocked", -1), Phase("dns", -1), Phase("connect", -1), Phase("ssl", -1), Math.Max(0, Phase("send", 0)), Math.Max(0, Phase("wait", 0)), Math.Max(0, Phase("receive", 0))) { Proxy = Phase("_proxy", -1) };
        var status = Number(response, "status") is > 0 and var s ? (int)s : (int?)null;
        var content = response.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
        var mime = content.ValueKind == JsonValueKind.Object ? Text(content, "mimeType") : null;
        var bodySize = Number(response, "bodySize") is >= 0 and var b ? (long)b
            : content.ValueKind == JsonValueKind.Object && Number(content, "size") is >= 0 and var size ? (long)size : 0;
        var record = new ObjectRecord
        {
            Id = id,
            Url = Text(request, "url")!,
            Method = Text(request, "method") ?? "GET",
            StartMs = started is { } at ? (at - pageStart).TotalMilliseconds : 0,
            Time = Number(entry, "time") ?? phases.Total,
            Timings = phases,
            HttpVersion = Text(response, "httpVersion") is { Length: > 0 } version ? version : Text(request, "httpVersion"),
            Status = status,
            StatusText = status is null ? null : Text(response, "statusText"),
            ContentType = mime is { Length: > 0 } and not "x-unknown" ? mime : null,
            HeaderBytes = Number(response, "headersSize") is >= 0 and var hs ? (long)hs : 0,
            BodyBytes = bodySize,
            Error = Text(response, "_error") ?? (status is null ? "no response (HAR status 0)" : null),
            ErrorKind = Enum<ErrorKind>(Text(response, "_errorKind")) ?? ChromeNetError.Kind(Text(response, "_error")),
            RedirectUrl = Text(response, "redirectURL") is { Length: > 0 } redirect ? redirect : null,
            RequestHeaders = Headers(request),
            ResponseHeaders = Headers(response),
            DiscoveryMs = Number(entry, "_discoveryMs"),
        };
        // content.size is the decoded size when the HAR says what the coding saved, or when nothing was coded.
        if (record.Error is null && status is not null && content.ValueKind == JsonValueKind.Object && Number(content, "size") is >= 0 and var decoded
            && (Number(content, "compression") is not null || !record.ResponseHeaders.Any(h => h.Name.Equals("Content-Encoding", StringComparison.OrdinalIgnoreCase))))
        {
            record.DecodedBytes = (long)decoded;
        }

        record.EndMs = record.StartMs + record.Time;
        if (Text(entry, "connection") is { Length: > 0 } connection)
        {
            if (!connectionIds.TryGetValue(connection, out var connectionId))
                connectionIds[connection] = connectionId = connectionIds.Count + 1;
            record.ConnectionId = connectionId;
        }

        if (fromFetchAgent)
        {
            var fa = entry.GetProperty("_fetchAgent");
            record.Id = (int)(Number(fa, "objectId") ?? id);
            record.Kind = Enum<ResourceKind>(Text(fa, "kind")) ?? ResourceKind.Other;
            record.Initiator = Enum<Initiator>(Text(fa, "initiator")) ?? Engine.Model.Initiator.Parser;
            record.ParentId = Number(fa, "parentId") is { } parent ? (int)parent : null;
            record.RenderBlocking = Bool(fa, "renderBlocking");
            record.ParserBlocking = Bool(fa, "parserBlocking");
            record.ConnectionId = Number(fa, "connectionId") is { } cid ? (int)cid : null;
            record.ReusedConnection = Bool(fa, "reusedConnection");
            record.Retries = (int)(Number(fa, "retries") ?? 0);
            record.StartMs = Number(fa, "startMs") ?? record.StartMs;
            record.EndMs = Number(fa, "endMs") ?? record.EndMs;
            record.Error = Text(fa, "error") ?? (status is null ? record.Error : null);
            record.ErrorKind = record.Error is null ? null : Enum<ErrorKind>(Text(fa, "errorKind")) ?? record.ErrorKind;
        }

        return record;
    }

    /// <summary>A browser's HAR: kinds from <c>_resourceType</c> (or the MIME type), the navigation chain, initiators, blocking guesses.</summary>
    private static void Classify(List<ObjectRecord> objects, List<JsonElement> entries)
    {
        var byUrl = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var o in objects)
            byUrl.TryAdd(o.Url, o.Id);
        // The navigation: the first entry and the redirect hops that follow from it.
        var chain = new HashSet<int> { objects[0].Id };
        for (var current = objects[0]; current.RedirectUrl is { } next && byUrl.TryGetValue(new Uri(new Uri(current.Url), next).AbsoluteUri, out var nextId) && chain.Add(nextId);)
            current = objects[nextId - 1];
        var connectionsSeen = new HashSet<int>();
        for (var i = 0; i < objects.Count; i++)
        {
            var o = objects[i];
            var entry = entries[i];
            var type = Text(entry, "_resourceType");
            var priority = Text(entry, "_priority");
            o.Kind = chain.Contains(o.Id) ? ResourceKind.Document : Kind(type, o.ContentType);
            o.Initiator = o.Id == objects[0].Id ? Initiator.Navigation : chain.Contains(o.Id) ? Initiator.Redirect : Initiator.Parser;
            if (entry.TryGetProperty("_initiator", out var initiator) && initiator.ValueKind == JsonValueKind.Object && Text(initiator, "url") is { } from && byUrl.TryGetValue(from, out var parent) && parent != o.Id)
            {
                o.ParentId = parent;
                if (objects[parent - 1].Kind == ResourceKind.Stylesheet)
                    o.Initiator = Initiator.Css;
            }

            // Chrome gives render-blocking stylesheets and parser-blocking scripts the highest priorities.
            o.RenderBlocking = o.Kind == ResourceKind.Stylesheet && priority is "VeryHigh" or "Highest";
            o.ParserBlocking = o.Kind == ResourceKind.Script && priority is "High" or "VeryHigh";
            o.Priority = ChromiumPriority(priority);
            if (o.ConnectionId is { } connection)
                o.ReusedConnection = !connectionsSeen.Add(connection);
        }
    }

    /// <summary>
    /// HAR's <c>_priority</c> in the DevTools protocol's words (Chrome writes those; DevTools' table says Highest and
    /// Lowest for VeryHigh and VeryLow); null when the entry has none FetchAgent knows.
    /// </summary>
    private static string? ChromiumPriority(string? priority) => priority switch
    {
        "VeryHigh" or "Highest" => "VeryHigh",
        "High" or "Medium" or "Low" => priority,
        "VeryLow" or "Lowest" => "VeryLow",
        _ => null,
    };

    private static ResourceKind Kind(string? resourceType, string? mime) => resourceType?.ToLowerInvariant() switch
    {
        "document" => ResourceKind.Iframe,
        "stylesheet" => ResourceKind.Stylesheet,
        "script" => ResourceKind.Script,
        "image" => ResourceKind.Image,
        "font" => ResourceKind.Font,
        "media" => ResourceKind.Media,
        null or "" => mime?.ToLowerInvariant() switch
        {
            { } m when m.Contains("html", StringComparison.Ordinal) => ResourceKind.Iframe,
            { } m when m.Contains("css", StringComparison.Ordinal) => ResourceKind.Stylesheet,
            { } m when m.Contains("javascript", StringComparison.Ordinal) || m.Contains("ecmascript", StringComparison.Ordinal) => ResourceKind.Script,
            { } m when m.StartsWith("image/", StringComparison.Ordinal) => ResourceKind.Image,
            { } m when m.StartsWith("font/", StringComparison.Ordinal) || m.Contains("woff", StringComparison.Ordinal) => ResourceKind.Font,
            { } m when m.StartsWith("video/", StringComparison.Ordinal) || m.StartsWith("audio/", StringComparison.Ordinal) => ResourceKind.Media,
            _ => ResourceKind.Other,
        },
        _ => ResourceKind.Other,
    };

    /// <summary>
    /// FetchAgent's own <c>log._connections</c> when present (its ports, times, close reasons); else one connection per
    /// distinct <c>connection</c> id, set up by the first entry that used it.
    /// </summary>
    private static List<ConnectionRecord> Connections(JsonElement log, List<ObjectRecord> objects, Dictionary<string, int> connectionIds, bool fromFetchAgent)
    {
        var result = new List<ConnectionRecord>();
        if (fromFetchAgent && log.TryGetProperty("_connections", out var listed) && listed.ValueKind == JsonValueKind.Array)
        {
            foreach (var c in listed.EnumerateArray())
            {
                var id = (int)(Number(c, "id") ?? result.Count + 1);
                var first = objects.Where(o => o.ConnectionId == id).MinBy(o => o.StartMs);
                result.Add(new ConnectionRecord
                {
                    Id = id,
                    Scheme = Text(c, "scheme") ?? "http",
                    Host = Text(c, "host") ?? "",
                    Port = (int)(Number(c, "port") ?? 0),
                    RemoteAddress = Text(c, "remoteAddress"),
                    RemotePort = (int)(Number(c, "remotePort") ?? 0),
                    LocalAddress = Text(c, "localAddress"),
                    LocalPort = (int)(Number(c, "localPort") ?? 0),
                    OpenedMs = Number(c, "openedMs") ?? 0,
                    ClosedMs = Number(c, "closedMs"),
                    DnsMs = first?.Timings.Dns ?? -1,
                    ConnectMs = Math.Max(first?.Timings.Connect ?? 0, 0),
                    SslMs = first?.Timings.Ssl ?? -1,
                    Requests = (int)(Number(c, "requests") ?? 0),
                    CloseReason = Enum<CloseReason>(Text(c, "closeReason")),
                    TlsProtocol = Text(c, "tlsProtocol"),
                    Error = Text(c, "error"),
                    ErrorKind = Enum<ErrorKind>(Text(c, "errorKind")),
                    Proxy = Text(c, "proxy"),
                    ProxyMs = Number(c, "proxyMs") ?? -1,
                });
            }

            return result;
        }

        foreach (var id in connectionIds.Values.Order())
        {
            var carried = objects.Where(o => o.ConnectionId == id).OrderBy(o => o.StartMs).ToList();
            var first = carried[0];
            var url = new Uri(first.Url);
            var t = first.Timings;
            result.Add(new ConnectionRecord
            {
                Id = id,
                Scheme = url.Scheme,
                Host = url.Host,
                Port = url.Port,
                OpenedMs = first.StartMs + Math.Max(t.Blocked, 0) + Math.Max(t.Dns, 0),
                ClosedMs = carried.Max(o => o.EndMs),
                DnsMs = t.Dns,
                ConnectMs = Math.Max(t.Connect, 0),
                SslMs = t.Ssl,
                Requests = carried.Count,
            });
        }

        return result;
    }

    private static LoadOptions Options(JsonElement? page)
    {
        var options = new LoadOptions();
        if (page is { } p && p.TryGetProperty("_fetchAgent", out var fa) && Text(fa, "strategy") is { } strategy && ConnectionStrategyNames.TryParse(strategy, out var parsed))
            options = options with { Strategy = parsed };
        return options;
    }

    private static string Creator(JsonElement log)
    {
        if (!log.TryGetProperty("creator", out var creator) || creator.ValueKind != JsonValueKind.Object)
            return "unknown";
        var name = $"{Text(creator, "name")} {Text(creator, "version")}".Trim();
        return name.Length == 0 ? "unknown" : name;
    }

    private static List<HeaderRecord> Headers(JsonElement message) =>
        message.TryGetProperty("headers", out var headers) && headers.ValueKind == JsonValueKind.Array
            ? headers.EnumerateArray().Where(h => h.ValueKind == JsonValueKind.Object).Select(h => new HeaderRecord(Text(h, "name") ?? "", Text(h, "value") ?? "")).ToList()
            : [];

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double? Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static bool Bool(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static DateTimeOffset? Time(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    private static T? Enum<T>(string? kebab) where T : struct, System.Enum =>
        kebab is null ? null : System.Enum.GetValues<T>().Cast<T?>().FirstOrDefault(v => DocumentJson.Name(v!.Value) == kebab);
}
