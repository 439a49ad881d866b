using System.Text.Json;

namespace FetchAgent.Bench;

/// <summary>
/// One request Chromium made, ms from navigation start: when it went to the network and when it ended (NaN if it had
/// not when the trace ended); <paramref name="MainDocument"/> marks the page's own document.
/// </summary>
public sealed record ChromiumRequest(string Url, string ResourceType, string Priority, double RequestMs, double EndMs, bool MainDocument = false);

/// <summary>
/// What Chromium observed for one load, ms from navigation start (Lighthouse's time origin): first contentful paint,
/// Speed Index, the load event, the first visual change (the first frame that differs from the blank one:
/// WebPageTest's start render), and when the document's request went to the network. Everything before that
/// request is the browser's navigation set-up, not network; <see cref="FromDocumentRequest"/> takes it out, so the
/// figures start where FetchAgent's clock does: when the document's fetch starts.
/// </summary>
public sealed record ChromiumPaint(
    double FirstContentfulPaintMs, double SpeedIndexMs, double LoadMs, double FirstVisualChangeMs,
    double DocumentRequestMs, IReadOnlyList<ChromiumRequest> Requests)
{
    /// <summary>
    /// The same load on the document request's clock: every time less <see cref="DocumentRequestMs"/>. Speed Index too:
    /// it integrates the page's visual incompleteness from navigation start, and the page is blank (incompleteness 1)
    /// until after the document's request, so the part before it adds exactly <see cref="DocumentRequestMs"/>.
    /// </summary>
    public ChromiumPaint FromDocumentRequest() => new(
        FirstContentfulPaintMs - DocumentRequestMs, SpeedIndexMs - DocumentRequestMs, LoadMs - DocumentRequestMs,
        FirstVisualChangeMs - DocumentRequestMs, 0,
        [.. Requests.Select(r => r with { RequestMs = r.RequestMs - DocumentRequestMs, EndMs = r.EndMs - DocumentRequestMs })]);

    /// <summary>When the document's response ended (its last byte), NaN if it had not.</summary>
    public double DocumentEndMs => Requests.FirstOrDefault(r => r.MainDocument)?.EndMs ?? double.NaN;

    /// <summary>When the first request after the document's went out: the document parsed far enough to name one.</summary>
    public double FirstSubresourceMs => Requests.FirstOrDefault(r => r.MainDocument) is { } html
        ? Requests.Where(r => !r.MainDocument && r.RequestMs >= html.RequestMs).Select(r => r.RequestMs).DefaultIfEmpty(double.NaN).Min()
        : double.NaN;

    /// <summary>
    /// The last response that ended before the first contentful paint: the network part of the paint ends there, and
    /// what comes after it until the paint is the browser's own work (parse, script, style, layout, paint).
    /// </summary>
    public double LastResponseBeforePaintMs => LastResponseBefore(FirstContentfulPaintMs);

    /// <summary>The last response that ended before the load event: the network part of the load, the rest is the browser's own work.</summary>
    public double LastResponseBeforeLoadMs => LastResponseBefore(LoadMs);

    private double LastResponseBefore(double ms) => Requests.Where(r => r.EndMs <= ms).Select(r => r.EndMs).DefaultIfEmpty(double.NaN).Max();
}

/// <summary>
/// Reads Lighthouse's JSON report (12.x, <c>onlyAudits: metrics, network-requests</c>). The metrics audit's
/// <c>observed*</c> values are ms from <c>observedNavigationStart</c> (0), with their trace timestamps (µs) in
/// <c>observed*Ts</c>. The network-requests audit's times are ms from the earliest request's renderer start, whose
/// trace timestamp (µs, the same monotonic clock) is <c>details.debugData.networkStartTimeTs</c>; its
/// <c>networkRequestTime</c> is the request's DevTools <c>timing.requestTime</c>, when it went to the network stack
/// (before DNS and connect), as FetchAgent's fetch start is.
/// </summary>
public static class LighthouseReport
{
    public static ChromiumPaint Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var audits = document.RootElement.GetProperty("audits");
        var metrics = audits.GetProperty("metrics");
        if (!metrics.TryGetProperty("details", out var metricDetails))
            throw new BenchFailure($"lighthouse: no metrics ({metrics})");
        var items = metricDetails.GetProperty("items")[0];
        if (!audits.TryGetProperty("network-requests", out var network) || !network.TryGetProperty("details", out var networkDetails))
            throw new BenchFailure("lighthouse: no network-requests audit");

        // From the network audit's origin to navigation start, ms (both trace timestamps in µs).
        var networkOrigin = (networkDetails.GetProperty("debugData").GetProperty("networkStartTimeTs").GetDouble()
                             - items.GetProperty("observedNavigationStartTs").GetDouble()) / 1000;
        var requests = new List<ChromiumRequest>();
        foreach (var request in networkDetails.GetProperty("items").EnumerateArray())
        {
            // A request still open when the trace ended has no networkEndTime; one never sent, no networkRequestTime.
            if (!request.TryGetProperty("networkRequestTime", out var sent) || sent.ValueKind != JsonValueKind.Number)
                continue;
            var ended = request.TryGetProperty("networkEndTime", out var end) && end.ValueKind == JsonValueKind.Number ? end.GetDouble() : double.NaN;
            requests.Add(new ChromiumRequest(
                request.GetProperty("url").GetString() ?? "",
                request.TryGetProperty("resourceType", out var type) ? type.GetString() ?? "" : "",
                request.TryGetProperty("priority", out var priority) ? priority.GetString() ?? "" : "",
                networkOrigin + sent.GetDouble(),
                networkOrigin + ended));
        }

        // The page's own document is mainDocumentUrl's request (after any redirects); the navigation's first request
        // (the earliest document, the redirect's if there is one) is where FetchAgent's clock would start.
        var mainDocument = document.RootElement.TryGetProperty("mainDocumentUrl", out var main) ? main.GetString() : null;
        var html = requests.FindIndex(r => r.ResourceType == "Document" && r.Url == mainDocument);
        if (html < 0)
            throw new BenchFailure($"lighthouse: no document request for {mainDocument}");
        requests[html] = requests[html] with { MainDocument = true };
        var navigation = requests.Where(r => r.ResourceType == "Document").Min(r => r.RequestMs);
        return new ChromiumPaint(
            items.GetProperty("observedFirstContentfulPaint").GetDouble(),
            items.GetProperty("observedSpeedIndex").GetDouble(),
            items.GetProperty("observedLoad").GetDouble(),
            items.GetProperty("observedFirstVisualChange").GetDouble(),
            navigation,
            requests);
    }
}
