using System.Globalization;
using FetchAgent.Engine.Timeline;

namespace FetchAgent.Cli;

/// <summary>
/// <c>fetchagent compare</c>'s table: one row per strategy, so perceived and actual load time sit
/// side by side (parallel connections can feel faster without being faster).
/// </summary>
internal static class ComparisonTable
{
    private static readonly string[] Headings =
        ["strategy", "perceived", "actual", "start render", "connections", "reused", "retried", "objects", "status"];

    public static void Write(IReadOnlyList<(string Strategy, PageLoadDocument Document)> rows, TextWriter output, bool color)
    {
        var cells = rows.Select(r => Cells(r.Strategy, r.Document)).ToList();
        var widths = Headings.Select((h, i) => cells.Select(c => c[i].Length).Append(h.Length).Max()).ToArray();
        var bestPerceived = rows.Count == 0 ? double.NaN : rows.Min(r => r.Document.Metrics.PerceivedMs);
        var bestActual = rows.Count == 0 ? double.NaN : rows.Min(r => r.Document.Metrics.ActualMs);

        if (rows.Count > 0)
            new StyledLine(color).Append(rows[0].Document.Url, Ansi.Bold).WriteTo(output);
        WriteLine(output, color, Headings, widths, _ => Ansi.Bold);
        new StyledLine(color).Append(string.Join("  ", widths.Select(w => new string('─', w)))).WriteTo(output);
        for (var r = 0; r < rows.Count; r++)
        {
            var metrics = rows[r].Document.Metrics;
            // The quickest strategy by each measure stands out in green when color is on.
            WriteLine(output, color, cells[r], widths, column => column switch
            {
                1 when metrics.PerceivedMs == bestPerceived && rows.Count > 1 => Ansi.Green,
                2 when metrics.ActualMs == bestActual && rows.Count > 1 => Ansi.Green,
                _ => null,
            });
        }
    }

    private static string[] Cells(string strategy, PageLoadDocument document)
    {
        var m = document.Metrics;
        return
        [
            strategy,
            DisplayFormat.Ms(m.PerceivedMs) + " ms",
            DisplayFormat.Ms(m.ActualMs) + " ms",
            DisplayFormat.Ms(m.StartRenderMs) + " ms",
            m.ConnectionCount.ToString(CultureInfo.InvariantCulture),
            m.ReusedRequests.ToString(CultureInfo.InvariantCulture),
            m.RetriedRequests.ToString(CultureInfo.InvariantCulture),
            m.ObjectCount.ToString(CultureInfo.InvariantCulture),
            DisplayFormat.Lower(document.Status),
        ];
    }

    /// <summary>Text columns (first and last) left-aligned, numbers right-aligned.</summary>
    private static void WriteLine(TextWriter output, bool color, string[] cells, int[] widths, Func<int, string?> style)
    {
        var line = new StyledLine(color);
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
                line.Append("  ");
            var text = i == 0 || i == cells.Length - 1 ? cells[i].PadRight(widths[i]) : cells[i].PadLeft(widths[i]);
            line.Append(text, style(i));
        }
        line.WriteTo(output);
    }
}
