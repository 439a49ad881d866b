namespace FetchAgent.Storage;

/// <summary>
/// One strategy's runs in a comparison, as WebPageTest reports them: the median run (the run whose
/// <c>actualMs</c> is the median; for an even count the lower middle one, so it is always a run that
/// happened), the medians, and the spread (min and max) a reader needs before calling one strategy faster.
/// </summary>
/// <param name="Runs">The runs counted: completed or partial loads (a failed or deleted load is left out, as WebPageTest leaves out failed runs).</param>
/// <param name="MedianPerceivedMs">The median of the counted runs' <c>perceivedMs</c> (lower middle for an even count): a value some run measured.</param>
/// <param name="MedianActualMs">The median run's <c>actualMs</c>.</param>
/// <param name="MedianPageLoadId">The median run's page load; null with no database (the CLI) or no counted run.</param>
/// <param name="MedianRun">The median run's number among this strategy's runs, 1 for the first round; null with no counted run.</param>
public sealed record StrategySummary(
    string Strategy, int Runs, double MedianPerceivedMs, double MedianActualMs, double MinActualMs, double MaxActualMs,
    double MinPerceivedMs, double MaxPerceivedMs, long? MedianPageLoadId, int? MedianRun)
{
    /// <summary>In a sweep, the swept option's value these runs had; null otherwise.</summary>
    public int? SweepValue { get; init; }

    /// <summary>
    /// Issue 15: when these runs had repeat views, the same summary of the repeat views (WebPageTest's "repeat view"
    /// column); null otherwise.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public StrategySummary? RepeatView { get; init; }

    /// <summary>One run of one strategy: its number (1-based, in the order it ran), its load and figures.</summary>
    public readonly record struct RunFigures(int Run, long? PageLoadId, bool Counted, double PerceivedMs, double ActualMs);

    /// <summary>The summary of one strategy's runs; runs that do not count are skipped.</summary>
    public static StrategySummary Of(string strategy, IEnumerable<RunFigures> runs)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(runs);
        var counted = runs.Where(r => r.Counted).ToList();
        if (counted.Count == 0)
            return new StrategySummary(strategy, 0, 0, 0, 0, 0, 0, 0, null, null);
        var median = counted[MedianIndex(counted.Select(r => r.ActualMs).ToList())];
        var perceived = counted.Select(r => r.PerceivedMs).Order().ToList();
        return new StrategySummary(
            strategy, counted.Count, perceived[(perceived.Count - 1) / 2], median.ActualMs,
            counted.Min(r => r.ActualMs), counted.Max(r => r.ActualMs), perceived[0], perceived[^1], median.PageLoadId, median.Run);
    }

    /// <summary>
    /// The summary of one strategy's runs and, when any run had a repeat view, of their repeat views: the same rule
    /// for each view (a repeat view counts when it completed or was partial, as a first view does).
    /// </summary>
    public static StrategySummary Of(string strategy, IReadOnlyList<RunFigures> firstViews, IReadOnlyList<RunFigures?> repeatViews)
    {
        ArgumentNullException.ThrowIfNull(repeatViews);
        var summary = Of(strategy, firstViews);
        if (repeatViews.All(r => r is null))
            return summary;
        var repeats = repeatViews.Select((r, i) => r ?? new RunFigures(i + 1, null, false, 0, 0)).ToList();
        return summary with { RepeatView = Of(strategy, repeats) };
    }

    /// <summary>
    /// The position of the median run in <paramref name="actualMs"/>: sorted by value (ties keep run order,
    /// so the earlier run wins), the lower middle one.
    /// </summary>
    public static int MedianIndex(IReadOnlyList<double> actualMs)
    {
        ArgumentNullException.ThrowIfNull(actualMs);
        if (actualMs.Count == 0)
            throw new ArgumentException("no runs to take the median of", nameof(actualMs));
        var byValue = Enumerable.Range(0, actualMs.Count).OrderBy(i => actualMs[i]).ToList();
        return byValue[(byValue.Count - 1) / 2];
    }
}
