namespace FetchAgent.Engine.Timeline;

/// <summary>Computes the contract's perceived and actual metrics from a finished page load's timeline.</summary>
public static class PageMetricsCalculator
{
    /// <summary>Fills <see cref="PageLoadDocument.Metrics"/> and <see cref="PageLoadDocument.VisualProgress"/> from its objects and connections.</summary>
    public static void Compute(PageLoadDocument document) => throw new NotImplementedException();
}
