using FetchAgent.Engine.Model;


namespace FetchAgent.Cli;

/// <summary>
/// What <c>fetchagent load URL</c> prints without <c>--json</c>: a WebPageTest-style waterfall of every
/// object on one shared time axis, the perceived and actual markers, and a summary line comparing them.
/// </summary>
/// <remarks>Reads <see cref="PageLoadDocument.Metrics"/> as they are; run <see cref="PageMetricsCalculator"/> first.</remarks>
public static class TerminalWaterfall
{
    /// <summary>Writes the waterfall of <paramref name="document"/>, no line wider than <paramref name="width"/> columns.</summary>
    public static void Render(PageLoadDocument document, TextWriter output, int width, bool color)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(output);
        var layout = WaterfallLayout.For(document, width);
        var rows = new WaterfallRows(document, layout, color);

        WriteHeader(document, output, width, color);
        rows.WriteRows(output);
        rows.WriteAxis(output);
        if (layout.HasBar)
            WriteLegend(output, width, color);
        foreach (var line in Wrap(SummaryParts(document.Metrics), " · ", width))
            output.WriteLine(line);
    }

    /// <summary>Writes one row per strategy: perceived against actual, and how the connections were used.</summary>
    internal static void RenderComparison(IReadOnlyList<ComparisonTable.Row> rows, TextWriter output, bool color)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(output);
        ComparisonTable.Write(rows, output, color);
    }

    private static void WriteHeader(PageLoadDocument document, TextWriter output, int width, bool color)
    {
        var rest = " · " + DisplayFormat.Lower(document.Options.Strategy) + " · " + DisplayFormat.Lower(document.Status);
        var url = document.FinalUrl is { } final && final != document.Url ? document.Url + " → " + final : document.Url;
        var line = new StyledLine(color)
            .Append(DisplayFormat.MiddleEllipsis(url, Math.Max(width - rest.Length, 12)), Ansi.Bold)
            .Append(rest);
        if (document.Error is { } error && line.Width + 3 < width)
            line.Append(" · ").Append(DisplayFormat.EndEllipsis(error, width - line.Width), Ansi.Red);
        line.WriteTo(output);
    }

    private static void WriteLegend(TextWriter output, int width, bool color)
    {
        var items = WaterfallPhases.InOrder
            .Select(p => (Key: color ? WaterfallPhases.ColoredCell(p) : WaterfallPhases.Glyph(p), Style: WaterfallPhases.Style(p), Text: WaterfallPhases.Name(p)))
            .Concat(
            [
                ('T', WaterfallRows.MarkerStyle('T'), "TTFB"),
                ('R', WaterfallRows.MarkerStyle('R'), "start render"),
                ('D', WaterfallRows.MarkerStyle('D'), "DOMContentLoaded"),
                ('P', WaterfallRows.MarkerStyle('P'), "perceived (Speed Index)"),
                ('L', WaterfallRows.MarkerStyle('L'), "actual (onLoad)"),
            ]);

        var line = new StyledLine(color);
        foreach (var (key, style, text) in items)
        {
            var itemWidth = 2 + text.Length;
            if (line.Width > 0 && line.Width + 2 + itemWidth > width)
            {
                line.WriteTo(output);
                line = new StyledLine(color);
            }
            if (line.Width > 0)
                line.Append("  ");
            line.Append(key.ToString(), style).Append(" " + text);
        }
        line.WriteTo(output);
    }

    private static IEnumerable<string> SummaryParts(PageMetrics m) =>
    [
        $"perceived {DisplayFormat.Ms(m.PerceivedMs)} ms (Speed Index)",
        $"actual {DisplayFormat.Ms(m.ActualMs)} ms (onLoad)",
        $"TTFB {DisplayFormat.Ms(m.TtfbMs)} ms",
        $"start render {DisplayFormat.Ms(m.StartRenderMs)} ms",
        $"DCL {DisplayFormat.Ms(m.DomContentLoadedMs)} ms",
        DisplayFormat.Plural(m.ObjectCount, "object"),
        DisplayFormat.Plural(m.ConnectionCount, "connection"),
        $"{m.ReusedRequests} reused",
        $"{m.RetriedRequests} retried",
        DisplayFormat.Bytes(m.Bytes),
    ];

    /// <summary>Joins parts with a separator, starting a new line rather than passing the width.</summary>
    internal static List<string> Wrap(IEnumerable<string> parts, string separator, int width)
    {
        var lines = new List<string>();
        var current = "";
        foreach (var part in parts)
        {
            if (current.Length > 0 && current.Length + separator.Length + part.Length > width)
            {
                lines.Add(current);
                current = "";
            }
            current = current.Length == 0 ? part : current + separator + part;
        }
        if (current.Length > 0)
            lines.Add(current);
        return lines;
    }
}
