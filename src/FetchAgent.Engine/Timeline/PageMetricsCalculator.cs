using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Timeline;

/// <summary>Computes the contract's perceived and actual metrics from a finished page load's timeline.</summary>
/// <remarks>
/// All times are ms from the page load's start. Perceived figures are model estimates (the fetcher runs
/// no JavaScript): DOMContentLoaded waits for the final document and every parser-blocking script; start
/// render for the document and every render-blocking resource; Speed Index is the exact integral of
/// (1 − visual completeness) over the byte-arrival model of <see cref="VisualCompleteness"/>
/// (see <see cref="SpeedIndex"/>). Actual load time is when the last object finished.
/// </remarks>
public static class PageMetricsCalculator
{
    /// <summary>Fills <see cref="PageLoadDocument.Metrics"/> and <see cref="PageLoadDocument.VisualProgress"/> from its objects and connections.</summary>
    /// <remarks>
    /// Without a usable final document (none, failed, or no status) only onLoad/actual and the counts are set;
    /// the perceived figures stay 0 and the visual progress is empty. Running it again gives the same result.
    /// </remarks>
    public static void Compute(PageLoadDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var all = document.Objects;
        // What comes after the load event (the page's icon) is recorded and counted, but is in no time of the page.
        var objects = all.Where(o => !o.AfterOnLoad).ToList();
        var lastEndMs = objects.Count == 0 ? 0 : objects.Max(o => o.EndMs);
        var metrics = new PageMetrics
        {
            OnLoadMs = lastEndMs,
            ActualMs = lastEndMs,
            ObjectCount = all.Count,
            ConnectionCount = document.Connections.Count,
            ReusedRequests = all.Count(o => o.ReusedConnection),
            RetriedRequests = all.Sum(o => o.Retries),
            Bytes = all.Sum(o => o.HeaderBytes + o.BodyBytes),
        };
        document.Metrics = metrics;
        document.VisualProgress = [];

        var finalDocument = FinalDocument(objects);
        if (finalDocument is null || finalDocument.Error is not null || finalDocument.Status is null)
            return;

        metrics.TtfbMs = finalDocument.EndMs - Math.Max(finalDocument.Timings.Receive, 0);
        metrics.DomContentLoadedMs = LatestEnd(finalDocument, objects.Where(o => o.ParserBlocking));
        metrics.StartRenderMs = LatestEnd(finalDocument, objects.Where(o => o.RenderBlocking));

        var completeness = VisualCompleteness.From(objects, finalDocument, metrics.StartRenderMs);
        metrics.VisuallyCompleteMs = completeness.VisuallyCompleteMs;
        metrics.SpeedIndexMs = SpeedIndex.Compute(completeness);
        metrics.PerceivedMs = metrics.SpeedIndexMs;
        document.VisualProgress = completeness.Breakpoints();
    }

    /// <summary>
    /// The page loader marks only the main navigation chain as <see cref="ResourceKind.Document"/>
    /// (redirect hops included), so the last of them is what the browser rendered.
    /// </summary>
    internal static ObjectRecord? FinalDocument(IEnumerable<ObjectRecord> objects) =>
        objects.Where(o => o.Kind == ResourceKind.Document).MaxBy(o => o.Id);

    private static double LatestEnd(ObjectRecord finalDocument, IEnumerable<ObjectRecord> blocking) =>
        blocking.Aggregate(finalDocument.EndMs, (latest, o) => Math.Max(latest, o.EndMs));
}
