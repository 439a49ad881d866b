namespace FetchAgent.Engine.Model;

/// <summary>
/// Perceived and actual load time. The fetcher runs no JavaScript, so the perceived
/// figures are estimates from the network timeline (see the contract).
/// </summary>
public sealed class PageMetrics
{
    public double TtfbMs { get; set; }
    public double DomContentLoadedMs { get; set; }
    public double StartRenderMs { get; set; }
    public double SpeedIndexMs { get; set; }
    public double VisuallyCompleteMs { get; set; }
    public double OnLoadMs { get; set; }
    public double PerceivedMs { get; set; }
    public double ActualMs { get; set; }
    public int ObjectCount { get; set; }
    public int ConnectionCount { get; set; }
    public int ReusedRequests { get; set; }
    public int RetriedRequests { get; set; }
    public long Bytes { get; set; }
}

/// <summary>Visual completeness at a moment of the load.</summary>
public readonly record struct VisualProgressPoint(double Ms, double Percent);
