namespace FetchAgent.Storage;

/// <summary>A comparison: its rows (one per load, in the order they ran) and a summary per strategy.</summary>
public sealed record Comparison(long Id, string Url, int Runs, DateTimeOffset CreatedAt, IReadOnlyList<ComparisonRow> Rows, IReadOnlyList<StrategySummary> Summary)
{
    /// <summary>The option swept and its values in the order run; null when the comparison swept nothing.</summary>
    public ComparisonSweep? Sweep { get; init; }
}

public sealed record ComparisonRow(string Strategy, long? PageLoadId, double PerceivedMs, double ActualMs, double StartRenderMs, int ConnectionCount, int ReusedRequests)
{
    /// <summary>In a sweep, the value of the swept option this load ran with; else null.</summary>
    public int? SweepValue { get; init; }

    /// <summary>
    /// Issue 15: when the load ran with a repeat view, the repeat view's figures (its own page load id); else null.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public ComparisonRow? RepeatView { get; init; }
}

/// <summary>A sweep: one load option (<c>maxConnectionsPerHost</c> or <c>pipelineDepth</c>) and the values it took.</summary>
public sealed record ComparisonSweep(string Option, IReadOnlyList<int> Values);

/// <summary>A past comparison as <c>GET /api/comparisons</c> lists it.</summary>
public sealed record ComparisonListItem(long Id, string Url, int Runs, DateTimeOffset CreatedAt, IReadOnlyList<string> Strategies, ComparisonSweep? Sweep, int Loads);
