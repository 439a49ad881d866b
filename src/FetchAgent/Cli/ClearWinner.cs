namespace FetchAgent.Cli;

/// <summary>
/// Whether one strategy is faster beyond doubt: its medians differ from the others' by more than the runs
/// spread, i.e. its slowest run beat every other strategy's fastest run. Anything less is noise on a
/// shared machine, and the table says so instead of colouring a winner.
/// </summary>
internal static class ClearWinner
{
    /// <summary>One strategy's runs on one measure (perceived or actual).</summary>
    public readonly record struct Spread(string Strategy, int Runs, double Median, double Min, double Max);

    /// <summary>Why there is no winner, when there is none.</summary>
    public enum NoWinner
    {
        None,
        NothingToCompare,
        OneRun,
        RunsOverlap,
    }

    /// <summary>The winning strategy, or null with the reason.</summary>
    public static (string? Winner, NoWinner Reason) Of(IReadOnlyList<Spread> strategies)
    {
        ArgumentNullException.ThrowIfNull(strategies);
        if (strategies.Count < 2)
            return (null, NoWinner.NothingToCompare);
        // One run has no spread to compare against: a single fast run proves nothing.
        if (strategies.Any(s => s.Runs < 2))
            return (null, NoWinner.OneRun);
        var best = strategies.MinBy(s => s.Median);
        var clear = strategies.All(s => s == best || best.Max < s.Min);
        return clear ? (best.Strategy, NoWinner.None) : (null, NoWinner.RunsOverlap);
    }
}
