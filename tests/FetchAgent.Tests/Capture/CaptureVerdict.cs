using System.Globalization;
using FetchAgent.TestServers.Capture;

namespace FetchAgent.Tests.Capture;

/// <summary>
/// The capture tests' judgement over several loads of the same page: every phase must have been within the tolerance
/// of its packets in at least one load (an error of ours repeats in every load; a reading the scheduler delayed does
/// not), and the median error of each kind of phase over all loads must be under the median tolerance (a bias that
/// touches every object). A phase is known across loads by its kind and its object's URL; a connection's
/// <c>connect</c>, <c>ssl</c> and first <c>send</c> by the connection's place in the order the load opened them (which
/// object opens the second connection differs from load to load). A phase only some loads have (the <c>send</c> of a
/// request that waited for a busy connection) and that one load had alone is left to the medians once a second load
/// did not repeat it: there is nothing to hold it against.
/// </summary>
internal sealed class CaptureVerdict
{
    private readonly double _toleranceMs;
    private readonly double _medianToleranceMs;

    private CaptureVerdict(double toleranceMs, double medianToleranceMs, IReadOnlyList<IGrouping<string, PhaseError>> neverInside,
        IReadOnlyDictionary<string, double> medians, int loads)
    {
        _toleranceMs = toleranceMs;
        _medianToleranceMs = medianToleranceMs;
        NeverInside = neverInside;
        Medians = medians;
        Loads = loads;
    }

    /// <summary>Phases outside the tolerance in every load that measured them, with each load's reading.</summary>
    public IReadOnlyList<IGrouping<string, PhaseError>> NeverInside { get; }

    /// <summary>Per kind of phase, the median error over every load.</summary>
    public IReadOnlyDictionary<string, double> Medians { get; }

    public int Loads { get; }

    public bool Holds => NeverInside.Count == 0 && Medians.Values.All(m => m <= _medianToleranceMs);

    /// <summary>Whether one reading misses: its length or its end boundary off by more than the tolerance.</summary>
    public bool Outside(PhaseError e) => IsOutside(e, _toleranceMs);

    private static bool IsOutside(PhaseError e, double toleranceMs) => e.ErrorMs > toleranceMs || Math.Abs(e.BoundaryOffsetMs) > toleranceMs;

    public static CaptureVerdict Of(IReadOnlyList<IReadOnlyList<PhaseError>> loads, double toleranceMs, double medianToleranceMs)
    {
        var keyed = loads.SelectMany(Keyed).ToList();
        var neverInside = keyed.GroupBy(k => k.Key, k => k.Error)
            .Where(g => g.All(e => IsOutside(e, toleranceMs)) && (g.Count() > 1 || loads.Count == 1))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        var medians = keyed.GroupBy(k => k.Error.Phase, k => k.Error.ErrorMs)
            .ToDictionary(g => g.Key, g => Median([.. g]));
        return new CaptureVerdict(toleranceMs, medianToleranceMs, neverInside, medians, loads.Count);
    }

    public string Describe()
    {
        var lines = new List<string> { $"after {Loads} loads:" };
        foreach (var phase in NeverInside)
            lines.Add($"{phase.Key} outside {_toleranceMs} ms in every load: " + string.Join("; ", phase.Select(e => e.ToString())));
        foreach (var (phase, median) in Medians.Where(m => m.Value > _medianToleranceMs).OrderBy(m => m.Key, StringComparer.Ordinal))
            lines.Add($"{phase}: median error {median.ToString("F3", CultureInfo.InvariantCulture)} ms over all loads, over {_medianToleranceMs} ms");
        return string.Join("\n", lines);
    }

    private static IEnumerable<(string Key, PhaseError Error)> Keyed(IReadOnlyList<PhaseError> load)
    {
        var connects = load.Where(e => e.Phase == "connect").ToList();
        var opened = connects.Select(e => e.ConnectionId).Distinct().Order().ToList();
        var openers = connects.Select(e => e.ObjectId).ToHashSet();
        return load.Select(e => (e.Phase is "connect" or "ssl" || (e.Phase == "send" && openers.Contains(e.ObjectId))
            ? $"connection {opened.IndexOf(e.ConnectionId) + 1} {e.Phase}"
            : $"{e.Phase} {e.Url}", e));
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        var middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
