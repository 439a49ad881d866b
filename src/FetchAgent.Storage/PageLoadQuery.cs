using FetchAgent.Engine.Model;


namespace FetchAgent.Storage;

/// <summary>Filters of <c>GET /api/page-loads</c>; newest first, <see cref="Limit"/> at most <see cref="MaxLimit"/>.</summary>
public sealed record PageLoadQuery
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public string? Url { get; init; }
    public string? Host { get; init; }
    public PageLoadStatus? Status { get; init; }
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }
    public int Limit { get; init; } = DefaultLimit;

    /// <summary>The opaque <c>nextCursor</c> of the previous page, or null for the first.</summary>
    public string? Cursor { get; init; }
}

/// <summary>One page of past loads.</summary>
public sealed record PageLoadPage(IReadOnlyList<PageLoadSummary> Items, string? NextCursor);

/// <summary>A past load as the list shows it; <paramref name="ConcurrentLoads"/> flags a load that shared the daemon with others.</summary>
public sealed record PageLoadSummary(
    long Id, string Url, string? FinalUrl, DateTimeOffset StartedAt, PageLoadStatus Status, string? Error, string Strategy,
    double PerceivedMs, double ActualMs, double StartRenderMs, int ObjectCount, int ConnectionCount, long Bytes, int ConcurrentLoads)
{
    /// <summary>The HAR's creator when the load was imported from a HAR file (<c>POST /api/hars</c>); null for FetchAgent's own loads.</summary>
    public string? ImportedFrom { get; init; }

    /// <summary>The machine-readable kind of <see cref="PageLoadSummary.Error"/>; null when there is none.</summary>
    public ErrorKind? ErrorKind { get; init; }

    /// <summary>Issue 17: the agent that ran the load; null on loads stored before agents were recorded.</summary>
    public string? Agent { get; init; }

    /// <summary>Issue 17: that agent's location label; null when it has none.</summary>
    public string? Location { get; init; }
}

/// <summary>One past load of a URL on the trends chart: when it ran, its strategy, perceived and actual ms.</summary>
public sealed record TrendPoint(long PageLoadId, DateTimeOffset StartedAt, string Strategy, double PerceivedMs, double ActualMs);

/// <summary>Per strategy, past loads of one URL: count, medians and their ratio.</summary>
public sealed record TrendRow(string Strategy, int Count, double MedianPerceivedMs, double MedianActualMs, double PerceivedToActual);
