using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Timeline;

/// <summary>
/// The model of how complete the page looks at a moment, from the network timeline alone
/// (the fetcher runs no JavaScript and paints nothing; see the contract's "Perceived and actual load time").
/// </summary>
/// <remarks>
/// Visible objects are the final document, stylesheets, fonts and images (media posters are images),
/// and only those with no error and a 2xx status. Their body bytes arrive evenly over each
/// receive phase. Nothing is visible before start render:
/// <c>displayed(t) = 0</c> for <c>t &lt; startRender</c>, else <c>arrived(t) / total</c>;
/// with no visible bytes at all, <c>displayed</c> jumps to 1 at start render.
/// <c>displayed</c> is therefore piecewise linear with jumps, which lets Speed Index be
/// integrated exactly rather than sampled (see <see cref="SpeedIndex"/>).
/// </remarks>
internal sealed class VisualCompleteness
{
    private readonly ByteArrival[] _arrivals;

    private VisualCompleteness(double startRenderMs, ByteArrival[] arrivals)
    {
        StartRenderMs = startRenderMs;
        _arrivals = arrivals;
        TotalBytes = arrivals.Sum(a => a.Bytes);
        // Objects without bytes change nothing on screen, so they cannot hold visual completeness back.
        var lastByteMs = arrivals.Length == 0 ? 0 : arrivals.Max(a => a.EndMs);
        VisuallyCompleteMs = Math.Max(startRenderMs, lastByteMs);
    }

    public double StartRenderMs { get; }
    public long TotalBytes { get; }

    /// <summary>The first moment at which <c>displayed(t)</c> is 100 %.</summary>
    public double VisuallyCompleteMs { get; }

    internal IReadOnlyList<ByteArrival> Arrivals => _arrivals;

    /// <summary>Collects the visible objects' byte arrivals.</summary>
    public static VisualCompleteness From(IEnumerable<ObjectRecord> objects, ObjectRecord finalDocument, double startRenderMs)
    {
        var arrivals = objects
            .Where(o => IsVisible(o, finalDocument) && o.BodyBytes > 0)
            .Select(ByteArrival.Of)
            .ToArray();
        return new VisualCompleteness(startRenderMs, arrivals);
    }

    /// <summary>The final document, stylesheets, fonts and images that arrived whole with a 2xx status.</summary>
    public static bool IsVisible(ObjectRecord record, ObjectRecord finalDocument)
    {
        if (record.Error is not null || record.Status is not (>= 200 and <= 299))
            return false;
        return record.Kind switch
        {
            ResourceKind.Document => ReferenceEquals(record, finalDocument),
            ResourceKind.Stylesheet or ResourceKind.Font or ResourceKind.Image => true,
            _ => false,
        };
    }

    /// <summary>Fraction displayed at <paramref name="ms"/>, 0..1; the left limit when <paramref name="includeStepAtMs"/> is false.</summary>
    public double Displayed(double ms, bool includeStepAtMs = true)
    {
        if (ms < StartRenderMs || (!includeStepAtMs && ms == StartRenderMs))
            return 0;
        if (TotalBytes == 0)
            return 1;
        var arrived = 0.0;
        foreach (var arrival in _arrivals)
            arrived += arrival.ArrivedBy(ms, includeStepAtMs);
        return arrived / TotalBytes;
    }

    /// <summary>
    /// The breakpoints of <c>displayed(t)</c> as (ms, percent): (0, 0), a point at start render
    /// before its jump and one after, the value on both sides of every step and at every ramp's
    /// start and end inside (startRender, visuallyComplete], ending at (visuallyComplete, 100).
    /// Joining the points with straight lines gives <c>displayed</c> exactly.
    /// </summary>
    public List<VisualProgressPoint> Breakpoints()
    {
        var points = new List<VisualProgressPoint>();
        Add(points, 0, 0);
        Add(points, StartRenderMs, 0);
        Add(points, StartRenderMs, 100 * Displayed(StartRenderMs));

        var moments = _arrivals
            .SelectMany(a => a.IsStep ? new[] { a.EndMs } : new[] { a.StartMs, a.EndMs })
            .Where(ms => ms > StartRenderMs && ms <= VisuallyCompleteMs)
            .Distinct()
            .Order();
        foreach (var ms in moments)
        {
            Add(points, ms, 100 * Displayed(ms, includeStepAtMs: false));
            Add(points, ms, 100 * Displayed(ms));
        }

        // The last breakpoint is visual completeness; state 100 exactly rather than a sum's rounding of it.
        var last = points[^1];
        if (last.Ms == VisuallyCompleteMs)
            points[^1] = new VisualProgressPoint(VisuallyCompleteMs, 100);
        else
            points.Add(new VisualProgressPoint(VisuallyCompleteMs, 100));
        return points;
    }

    private static void Add(List<VisualProgressPoint> points, double ms, double percent)
    {
        var point = new VisualProgressPoint(ms, percent);
        if (points.Count == 0 || points[^1] != point)
            points.Add(point);
    }
}
