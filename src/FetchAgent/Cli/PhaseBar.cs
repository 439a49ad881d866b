using FetchAgent.Engine.Model;


namespace FetchAgent.Cli;

/// <summary>
/// One object's phases laid on the time axis every row shares: cell <c>i</c> covers
/// [i·msPerCell, (i+1)·msPerCell). Phase boundaries are rounded to the nearest cell edge, so each
/// phase spans cells in proportion to its duration.
/// </summary>
internal static class PhaseBar
{
    /// <summary>The phase drawn in each of <paramref name="cells"/> cells, null where the object was not active.</summary>
    public static WaterfallPhase?[] Cells(ObjectRecord record, TimeAxis axis, int cells)
    {
        var bar = new WaterfallPhase?[cells];
        var durations = WaterfallPhases.Durations(record.Timings);
        var from = record.StartMs;
        var drawn = false;
        for (var i = 0; i < durations.Length; i++)
        {
            var to = from + durations[i];
            var first = axis.Column(from, cells);
            var last = axis.Column(to, cells);
            for (var c = first; c < last; c++)
                bar[c] = WaterfallPhases.Network[i];
            drawn |= last > first;
            from = to;
        }

        // A short object still shows as one cell of its longest phase, so no row looks like nothing happened.
        if (!drawn && cells > 0 && durations.Any(d => d > 0))
        {
            var longest = Array.IndexOf(durations, durations.Max());
            var column = Math.Min(axis.Column(record.StartMs, cells), cells - 1);
            bar[column] = WaterfallPhases.Network[longest];
        }

        // FetchAgent's own discovery follows the last byte: at least one cell when it took a millisecond or more.
        if (record.DiscoveryMs is { } discovery && cells > 0)
        {
            var first = Math.Min(axis.Column(from, cells), cells - 1);
            var last = Math.Min(axis.Column(from + discovery, cells), cells);
            if (last <= first && discovery >= 1 && bar[first] is null)
                last = first + 1;
            for (var c = first; c < last; c++)
                bar[c] ??= WaterfallPhase.Discovery;
        }

        return bar;
    }
}
