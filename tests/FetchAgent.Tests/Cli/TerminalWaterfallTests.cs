using System.Text.RegularExpressions;
using FetchAgent.Cli;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Timeline;
using FetchAgent.TestServers.Samples;

namespace FetchAgent.Tests.Cli;

public sealed class TerminalWaterfallTests
{
    private const int Width = 120;

    private static string[] Render(PageLoadDocument document, int width = Width, bool color = false)
    {
        var output = new StringWriter { NewLine = "\n" };
        TerminalWaterfall.Render(document, output, width, color);
        return output.ToString().TrimEnd('\n').Split('\n');
    }

    // A row starts with the right-aligned id and a short kind.
    private static string RowOf(string[] lines, int id) =>
        Assert.Single(lines, l => Regex.IsMatch(l, $@"^ *{id} (doc|css|js|img|font|media|frame|other) "));

    private static string BarOf(string row) => row[WaterfallLayout.For(SampleDocuments.Waterfall(), Width).BarColumn..];

    [Fact]
    public void Every_object_has_exactly_one_row()
    {
        var document = SampleDocuments.Waterfall();
        var lines = Render(document);

        foreach (var record in document.Objects)
            RowOf(lines, record.Id);
        Assert.Single(lines, l => l.Contains("/css/site.css", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("cdn.example.test/js/app.js", StringComparison.Ordinal));
    }

    [Fact]
    public void Longer_wait_draws_more_wait_cells()
    {
        var lines = Render(SampleDocuments.Waterfall());

        // Object 4 waits 200 ms, object 6 waits 80 ms.
        var longWait = BarOf(RowOf(lines, 4)).Count(c => c == '-');
        var shortWait = BarOf(RowOf(lines, 6)).Count(c => c == '-');
        Assert.True(longWait > shortWait, $"{longWait} wait cells should exceed {shortWait}");
    }

    [Fact]
    public void Bar_glyphs_follow_the_phase_order()
    {
        var lines = Render(SampleDocuments.Waterfall());
        const string order = "·dcs>-=";

        foreach (var id in Enumerable.Range(1, 7))
        {
            var glyphs = BarOf(RowOf(lines, id)).Where(order.Contains).Select(c => order.IndexOf(c)).ToList();
            Assert.NotEmpty(glyphs);
            Assert.Equal(glyphs.Order(), glyphs);
        }
        // Object 4 opened a TLS connection: every phase but send (1 ms) is wide enough to show.
        var cdn = BarOf(RowOf(lines, 4));
        Assert.Matches("^ *·+d+c+s+-+=+", cdn);
    }

    [Fact]
    public void Failed_object_shows_its_error_and_status()
    {
        var lines = Render(SampleDocuments.Waterfall());

        var row = RowOf(lines, 7);
        Assert.Contains("ERR", row, StringComparison.Ordinal);
        Assert.Contains("truncated: 10 of 100 bytes", string.Join('\n', lines), StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_states_perceived_and_actual()
    {
        var document = SampleDocuments.Waterfall();
        var text = string.Join('\n', Render(document));
        var m = document.Metrics;

        Assert.True(m.PerceivedMs > 0 && m.ActualMs > m.PerceivedMs);
        Assert.Contains($"perceived {DisplayFormat.Ms(m.PerceivedMs)} ms (Speed Index)", text, StringComparison.Ordinal);
        Assert.Contains($"actual {DisplayFormat.Ms(m.ActualMs)} ms (onLoad)", text, StringComparison.Ordinal);
        Assert.Contains("7 objects", text, StringComparison.Ordinal);
        Assert.Contains("3 connections", text, StringComparison.Ordinal);
        Assert.Contains("4 reused", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(120)]
    [InlineData(80)]
    [InlineData(60)]
    [InlineData(50)]
    public void No_line_is_wider_than_the_terminal(int width)
    {
        var lines = Render(SampleDocuments.Waterfall(), width);

        Assert.All(lines, l => Assert.True(l.Length <= width, $"{l.Length} > {width}: {l}"));
    }

    [Fact]
    public void Narrow_terminal_drops_the_bar_but_keeps_the_rows()
    {
        var document = SampleDocuments.Waterfall();
        var lines = Render(document, width: 50);

        foreach (var record in document.Objects)
            Assert.DoesNotContain('=', RowOf(lines, record.Id));
        Assert.Contains(lines, l => l.StartsWith("perceived ", StringComparison.Ordinal));
    }

    [Fact]
    public void FetchAgents_own_discovery_is_a_p_right_after_the_bar_and_in_the_legend()
    {
        var document = SampleDocuments.Waterfall();
        var doc = document.Objects[0];
        doc.DiscoveryMs = Math.Max(20, document.Metrics.ActualMs / 10);
        var lines = Render(document);

        var bar = BarOf(RowOf(lines, doc.Id)).TrimEnd();
        Assert.Matches("[-=]p+$", bar); // right after the last network cell (receive, or wait when receive rounds to nothing)
        foreach (var other in document.Objects.Skip(1).Where(o => o.DiscoveryMs is null))
            Assert.DoesNotContain('p', BarOf(RowOf(lines, other.Id)));
        Assert.Contains(lines, l => l.Contains("p parse", StringComparison.Ordinal));
    }

    [Fact]
    public void Markers_and_legend_sit_under_the_bars()
    {
        var lines = Render(SampleDocuments.Waterfall());

        var markers = lines.Where(l => l.Trim().Length > 0 && l.Trim().All(c => "TRDPL ".Contains(c))).ToList();
        Assert.Equal("DLPRT", string.Concat(markers.SelectMany(l => l.Where(char.IsLetter)).Order()));
        Assert.Contains(lines, l => l.Contains("time (ms)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("- wait", StringComparison.Ordinal) && l.Contains("= receive", StringComparison.Ordinal));
    }

    [Fact]
    public void Color_uses_ansi_escapes_and_keeps_the_text()
    {
        var lines = Render(SampleDocuments.Waterfall(), color: true);
        var text = string.Join('\n', lines);

        Assert.Contains("\u001b[48;5;", text, StringComparison.Ordinal);
        Assert.Contains("\u001b[31mtruncated: 10 of 100 bytes", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Comparison_lists_each_strategy_with_its_figures()
    {
        var runs = new List<StrategyRun>
        {
            new("serial", 1, SampleDocuments.Waterfall(ConnectionStrategy.Serial)),
            new("persistent", 1, SampleDocuments.Waterfall()),
        };
        var rows = RunSeries.Summarise(runs).Select((s, i) => new ComparisonTable.Row(s, runs[i].Document)).ToList();
        var output = new StringWriter { NewLine = "\n" };

        TerminalWaterfall.RenderComparison(rows, output, color: false);
        var lines = output.ToString().Split('\n');

        Assert.Contains(lines, l => l.StartsWith("strategy", StringComparison.Ordinal) && l.Contains("perceived", StringComparison.Ordinal) && l.Contains("reused", StringComparison.Ordinal));
        var serial = Assert.Single(lines, l => l.StartsWith("serial", StringComparison.Ordinal));
        Assert.Contains(DisplayFormat.Ms(runs[0].Document.Metrics.PerceivedMs) + " ms", serial, StringComparison.Ordinal);
        Assert.EndsWith("partial", serial, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(120)]
    [InlineData(30)]
    public void Page_load_without_objects_still_prints_header_and_summary(int width)
    {
        var document = new PageLoadDocument
        {
            Url = "http://example.test/",
            Options = new LoadOptions(),
            Status = PageLoadStatus.Failed,
            Error = "dns: no such host",
        };
        PageMetricsCalculator.Compute(document);

        var lines = Render(document, width);

        Assert.Contains(" · persistent · failed", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("0 objects", StringComparison.Ordinal));
    }
}
