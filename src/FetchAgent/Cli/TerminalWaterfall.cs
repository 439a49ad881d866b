using FetchAgent.Engine.Timeline;

namespace FetchAgent.Cli;

// Placeholder until the waterfall renderer lands.
internal static class TerminalWaterfall
{
    public static void Render(PageLoadDocument document, TextWriter output, int width, bool color) =>
        output.WriteLine($"{document.Url} {document.Status} {document.Objects.Count} objects");

    public static void RenderComparison(IReadOnlyList<(string Strategy, PageLoadDocument Document)> rows, TextWriter output, bool color)
    {
        foreach (var (strategy, document) in rows)
            output.WriteLine($"{strategy} {document.Metrics.PerceivedMs} {document.Metrics.ActualMs}");
    }
}
