using System.Globalization;

namespace FetchAgent.Cli;

/// <summary>The one time axis all bars share: [0, <see cref="SpanMs"/>] (the page's actual load time).</summary>
internal sealed class TimeAxis(double spanMs)
{
    /// <summary>The axis length; a page that took no time still gets a 1 ms axis so scaling never divides by 0.</summary>
    public double SpanMs { get; } = spanMs > 0 ? spanMs : 1;

    /// <summary>The cell edge nearest to <paramref name="ms"/>, within [0, cells].</summary>
    public int Column(double ms, int cells)
    {
        var column = Math.Round(ms / SpanMs * cells, MidpointRounding.AwayFromZero);
        return (int)Math.Clamp(column, 0, cells);
    }

    /// <summary>Tick labels (ms) at a round step, spaced so labels never touch.</summary>
    public string Labels(int cells)
    {
        var line = new char[cells];
        Array.Fill(line, ' ');
        var widest = Format(SpanMs).Length + 2;
        var step = NiceStep(SpanMs * widest / Math.Max(cells, 1));
        var free = 0;
        for (var k = 0; k * step <= SpanMs + step * 1e-9; k++)
        {
            var label = Format(k * step);
            var at = Math.Min(Column(k * step, cells), cells - label.Length);
            if (at < free || at < 0)
                continue;
            label.CopyTo(0, line, at, label.Length);
            free = at + label.Length + 1;
        }
        return new string(line);
    }

    /// <summary>
    /// Marker letters at their moments, one line per collision level: a marker whose column is taken
    /// goes to the next line rather than moving sideways and lying about its time.
    /// </summary>
    public List<(char Letter, int Column)[]> MarkerLines(IEnumerable<(char Letter, double Ms)> markers, int cells)
    {
        var lines = new List<List<(char Letter, int Column)>>();
        foreach (var (letter, ms) in markers)
        {
            var column = Math.Min(Column(ms, cells), cells - 1);
            var line = lines.FirstOrDefault(l => l.All(m => m.Column != column));
            if (line is null)
                lines.Add(line = []);
            line.Add((letter, column));
        }
        return [.. lines.Select(l => l.OrderBy(m => m.Column).ToArray())];
    }

    private static string Format(double ms) => ms.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>The smallest 1, 2 or 5 × 10ⁿ at least <paramref name="minimum"/>.</summary>
    internal static double NiceStep(double minimum)
    {
        if (minimum <= 0)
            return 1;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(minimum)));
        foreach (var factor in new[] { 1.0, 2, 5, 10 })
        {
            if (factor * magnitude >= minimum)
                return factor * magnitude;
        }
        return 10 * magnitude;
    }
}
