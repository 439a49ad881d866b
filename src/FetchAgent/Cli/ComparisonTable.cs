using System.Globalization;
using FetchAgent.Engine.Model;
using FetchAgent.Storage;

namespace FetchAgent.Cli;

/// <summary>
/// <c>fetchagent compare</c>'s table: one row per strategy, so perceived and actual load time sit side by
/// side (parallel connections can feel faster without being faster). With several runs each row shows the
/// median and the spread, and a winner is named (in green) only when its runs do not overlap the others'.
/// </summary>
internal static class ComparisonTable
{
    private static readonly string[] OneRunHeadings =
        ["strategy", "perceived", "actual", "start render", "connections", "reused", "retried", "TIME_WAIT", "objects", "status"];

    private static readonly string[] RunsHeadings =
        ["strategy", "runs", "perceived", "min–max", "actual", "min–max", "start render", "connections", "reused", "retried", "TIME_WAIT", "objects", "status"];

    /// <summary>
    /// A strategy's summary and its median run's document (the source of every column but the spread); with a repeat
    /// view (issue 15) a strategy has a second row, <paramref name="RepeatView"/>, the summary of its repeat views.
    /// </summary>
    public sealed record Row(StrategySummary Summary, PageLoadDocument Median, bool RepeatView = false);

    public static void Write(IReadOnlyList<Row> rows, TextWriter output, bool color)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var several = rows.Any(r => r.Summary.Runs > 1);
        var headings = several ? RunsHeadings : OneRunHeadings;
        var cells = rows.Select(r => several ? RunsCells(r) : OneRunCells(r)).ToList();
        var widths = headings.Select((h, i) => cells.Select(c => c[i].Length).Append(h.Length).Max()).ToArray();
        // A winner is named within a view: a repeat view is not faster than another strategy's first view in any useful sense.
        var firstViews = rows.Where(r => !r.RepeatView).ToList();
        var repeatViews = rows.Where(r => r.RepeatView).ToList();
        var perceived = PerceivedWinner(firstViews);
        var actual = ActualWinner(firstViews);
        var repeatPerceived = PerceivedWinner(repeatViews);
        var repeatActual = ActualWinner(repeatViews);
        var perceivedColumn = Array.IndexOf(headings, "perceived");
        var actualColumn = Array.IndexOf(headings, "actual");

        if (rows.Count > 0)
            new StyledLine(color).Append(rows[0].Median.Url, Ansi.Bold).WriteTo(output);
        if (several)
            new StyledLine(color).Append("medians after a warm-up load (not counted); other columns from each strategy's median run (by actual)", Ansi.Dim).WriteTo(output);
        WriteLine(output, color, headings, widths, _ => Ansi.Bold);
        new StyledLine(color).Append(string.Join("  ", widths.Select(w => new string('─', w)))).WriteTo(output);
        for (var r = 0; r < rows.Count; r++)
        {
            var strategy = rows[r].Summary.Strategy;
            var (p, a) = rows[r].RepeatView ? (repeatPerceived, repeatActual) : (perceived, actual);
            WriteLine(output, color, cells[r], widths, column =>
                (column == perceivedColumn && p.Winner == strategy) || (column == actualColumn && a.Winner == strategy) ? Ansi.Green : null);
        }

        WriteVerdict(output, color, "perceived (Speed Index)", perceived);
        WriteVerdict(output, color, "actual (onLoad)", actual);
        if (repeatViews.Count == 0)
            return;
        WriteVerdict(output, color, "repeat view perceived (Speed Index)", repeatPerceived);
        WriteVerdict(output, color, "repeat view actual (onLoad)", repeatActual);
    }

    private static (string? Winner, ClearWinner.NoWinner Reason) PerceivedWinner(List<Row> rows) =>
        ClearWinner.Of(rows.Select(r => new ClearWinner.Spread(r.Summary.Strategy, r.Summary.Runs, r.Summary.MedianPerceivedMs, r.Summary.MinPerceivedMs, r.Summary.MaxPerceivedMs)).ToList());

    private static (string? Winner, ClearWinner.NoWinner Reason) ActualWinner(List<Row> rows) =>
        ClearWinner.Of(rows.Select(r => new ClearWinner.Spread(r.Summary.Strategy, r.Summary.Runs, r.Summary.MedianActualMs, r.Summary.MinActualMs, r.Summary.MaxActualMs)).ToList());

    private static void WriteVerdict(TextWriter output, bool color, string measure, (string? Winner, ClearWinner.NoWinner Reason) verdict)
    {
        var line = new StyledLine(color).Append(measure + ": ");
        switch (verdict)
        {
            case ({ } winner, _):
                line.Append(winner, Ansi.Green).Append(" is faster: its slowest run beat every other strategy's fastest");
                break;
            case (_, ClearWinner.NoWinner.RunsOverlap):
                line.Append("no clear winner (runs overlap)");
                break;
            case (_, ClearWinner.NoWinner.OneRun):
                line.Append("no clear winner (one run each shows no spread; use --runs 5)");
                break;
            default:
                return;
        }

        line.WriteTo(output);
    }

    private static string[] OneRunCells(Row row)
    {
        var m = row.Median.Metrics;
        return
        [
            row.Summary.Strategy,
            DisplayFormat.Ms(m.PerceivedMs) + " ms",
            DisplayFormat.Ms(m.ActualMs) + " ms",
            .. MedianRunCells(row.Median),
        ];
    }

    private static string[] RunsCells(Row row)
    {
        var s = row.Summary;
        return
        [
            s.Strategy,
            s.Runs.ToString(CultureInfo.InvariantCulture),
            DisplayFormat.Ms(s.MedianPerceivedMs) + " ms",
            $"{DisplayFormat.Ms(s.MinPerceivedMs)}–{DisplayFormat.Ms(s.MaxPerceivedMs)} ms",
            DisplayFormat.Ms(s.MedianActualMs) + " ms",
            $"{DisplayFormat.Ms(s.MinActualMs)}–{DisplayFormat.Ms(s.MaxActualMs)} ms",
            .. MedianRunCells(row.Median),
        ];
    }

    private static string[] MedianRunCells(PageLoadDocument document)
    {
        var m = document.Metrics;
        return
        [
            DisplayFormat.Ms(m.StartRenderMs) + " ms",
            m.ConnectionCount.ToString(CultureInfo.InvariantCulture),
            m.ReusedRequests.ToString(CultureInfo.InvariantCulture),
            m.RetriedRequests.ToString(CultureInfo.InvariantCulture),
            // The sockets the run left waiting on FetchAgent's side (the side that closed first): one per object for
            // serial and parallel, a few for persistent; "–" where the kernel's table cannot be read.
            document.TimeWaitSockets?.ToString(CultureInfo.InvariantCulture) ?? "–",
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
