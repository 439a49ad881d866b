using System.Globalization;
using FetchAgent.Engine.Model;

namespace FetchAgent.Cli;

/// <summary>The object rows of a waterfall, and the marker and time-axis lines under their bars.</summary>
internal sealed class WaterfallRows(PageLoadDocument document, WaterfallLayout layout, bool color)
{
    private readonly TimeAxis _axis = new(document.Metrics.ActualMs);
    private readonly Uri? _page = Uri.TryCreate(document.FinalUrl ?? document.Url, UriKind.Absolute, out var page) ? page : null;

    public void WriteRows(TextWriter output)
    {
        foreach (var record in document.Objects.OrderBy(o => o.Id))
            WriteRow(output, record);
    }

    /// <summary>Marker letters under the bars (T, R, D, P, L), then the axis labels in ms.</summary>
    public void WriteAxis(TextWriter output)
    {
        if (!layout.HasBar)
            return;
        var m = document.Metrics;
        (char, double)[] markers =
        [
            ('T', m.TtfbMs), ('R', m.StartRenderMs), ('D', m.DomContentLoadedMs), ('P', m.PerceivedMs), ('L', m.ActualMs),
        ];
        foreach (var line in _axis.MarkerLines(markers, layout.BarWidth))
        {
            var styled = new StyledLine(color).PadTo(layout.BarColumn);
            foreach (var (letter, column) in line)
                styled.PadTo(layout.BarColumn + column).Append(letter.ToString(), MarkerStyle(letter));
            styled.WriteTo(output);
        }

        new StyledLine(color)
            .PadTo(layout.UrlColumn).Append("time (ms)", Ansi.Dim)
            .PadTo(layout.BarColumn).Append(_axis.Labels(layout.BarWidth).TrimEnd(), Ansi.Dim)
            .WriteTo(output);
    }

    private void WriteRow(TextWriter output, ObjectRecord record)
    {
        var failed = record.Error is not null;
        var line = new StyledLine(color)
            .Append(record.Id.ToString(CultureInfo.InvariantCulture).PadLeft(layout.IdWidth))
            .PadTo(layout.KindColumn).Append(DisplayFormat.Kind(record.Kind))
            .PadTo(layout.UrlColumn).Append(DisplayFormat.Url(record.Url, _page, layout.UrlWidth))
            .PadTo(layout.StatusColumn).Append(StatusLabel(record).PadLeft(WaterfallLayout.StatusWidth), failed ? Ansi.Red : null)
            .PadTo(layout.SizeColumn).Append(DisplayFormat.Bytes(record.BodyBytes).PadLeft(WaterfallLayout.SizeWidth))
            .PadTo(layout.ConnectionColumn).Append(WaterfallLayout.ConnectionLabel(record));

        if (layout.HasBar)
            AppendBar(line, record);

        if (!failed)
        {
            line.WriteTo(output);
            return;
        }

        // The error follows the bar when it fits on the line, else it gets a line of its own under the URL.
        var error = record.Error!;
        if (line.Width + 1 + error.Length <= layout.Width)
        {
            line.Append(" ").Append(error, Ansi.Red).WriteTo(output);
            return;
        }
        line.WriteTo(output);
        new StyledLine(color)
            .PadTo(layout.UrlColumn)
            .Append(DisplayFormat.EndEllipsis(error, Math.Max(layout.Width - layout.UrlColumn, 1)), Ansi.Red)
            .WriteTo(output);
    }

    private void AppendBar(StyledLine line, ObjectRecord record)
    {
        var cells = PhaseBar.Cells(record, _axis, layout.BarWidth);
        var lastDrawn = Array.FindLastIndex(cells, c => c is not null);
        line.PadTo(layout.BarColumn);
        for (var c = 0; c <= lastDrawn;)
        {
            var phase = cells[c];
            var run = 1;
            while (c + run <= lastDrawn && cells[c + run] == phase)
                run++;
            if (phase is { } p)
                line.Append(color ? WaterfallPhases.ColoredCell(p) : WaterfallPhases.Glyph(p), run, WaterfallPhases.Style(p));
            else
                line.Append(' ', run);
            c += run;
        }
    }

    private static string StatusLabel(ObjectRecord record) =>
        record.Error is not null ? "ERR" : record.Status?.ToString(CultureInfo.InvariantCulture) ?? "…";

    internal static string MarkerStyle(char letter) => letter switch
    {
        'R' => Ansi.Foreground(40),
        'D' => Ansi.Foreground(170),
        'P' => Ansi.Foreground(220),
        'L' => Ansi.Foreground(33),
        _ => Ansi.Bold,
    };
}
