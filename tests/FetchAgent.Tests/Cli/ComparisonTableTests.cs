using FetchAgent.Cli;
using FetchAgent.Engine.Model;
using FetchAgent.TestServers.Samples;
using Spread = FetchAgent.Cli.ClearWinner.Spread;

namespace FetchAgent.Tests.Cli;

/// <summary>The winner rule and the table that applies it: a winner only when its runs beat every run of the others.</summary>
public sealed class ComparisonTableTests
{
    [Fact]
    public void Separated_runs_name_the_best_median_as_winner()
    {
        // persistent's slowest (190) is below parallel's fastest (191) and serial's (300).
        var verdict = ClearWinner.Of([new Spread("serial", 3, 320, 300, 350), new Spread("persistent", 3, 180, 170, 190), new Spread("parallel", 3, 200, 191, 260)]);

        Assert.Equal(("persistent", ClearWinner.NoWinner.None), verdict);
    }

    [Fact]
    public void Overlapping_runs_name_no_winner_even_when_the_medians_differ()
    {
        // Medians 180 and 200 differ, but persistent's slowest run (195) is slower than parallel's fastest (191).
        var verdict = ClearWinner.Of([new Spread("persistent", 3, 180, 170, 195), new Spread("parallel", 3, 200, 191, 260)]);

        Assert.Equal((null, ClearWinner.NoWinner.RunsOverlap), verdict);
        // Touching is overlapping: equal max and min is no proof either.
        Assert.Equal((null, ClearWinner.NoWinner.RunsOverlap), ClearWinner.Of([new Spread("a", 2, 100, 90, 110), new Spread("b", 2, 120, 110, 130)]));
    }

    [Fact]
    public void One_run_each_or_one_strategy_names_no_winner()
    {
        Assert.Equal((null, ClearWinner.NoWinner.OneRun), ClearWinner.Of([new Spread("serial", 1, 900, 900, 900), new Spread("persistent", 1, 100, 100, 100)]));
        Assert.Equal((null, ClearWinner.NoWinner.NothingToCompare), ClearWinner.Of([new Spread("serial", 5, 900, 800, 1000)]));
    }

    private static List<StrategyRun> Runs(string strategy, ConnectionStrategy kind, params (double Perceived, double Actual)[] figures) =>
        figures.Select((f, i) =>
        {
            var document = SampleDocuments.Waterfall(kind);
            document.Status = PageLoadStatus.Completed;
            document.Metrics.PerceivedMs = f.Perceived;
            document.Metrics.ActualMs = f.Actual;
            return new StrategyRun(strategy, i + 1, document);
        }).ToList();

    private static string Table(List<StrategyRun> runs, bool color)
    {
        var rows = RunSeries.Summarise(runs)
            .Select(s => new ComparisonTable.Row(s, RunSeries.MedianRun(runs.Where(r => r.Strategy == s.Strategy).ToList(), s).Document))
            .ToList();
        var output = new StringWriter { NewLine = "\n" };
        ComparisonTable.Write(rows, output, color);
        return output.ToString();
    }

    [Fact]
    public void With_several_runs_a_row_per_strategy_shows_median_and_spread_and_the_clear_winner_in_green()
    {
        var runs = Runs("serial", ConnectionStrategy.Serial, (400, 500), (380, 520), (390, 510))
            .Concat(Runs("persistent", ConnectionStrategy.Persistent, (150, 200), (140, 190), (700, 210)))
            .ToList();

        var plain = Table(runs, color: false);
        var lines = plain.Split('\n');
        var serial = Assert.Single(lines, l => l.StartsWith("serial", StringComparison.Ordinal));
        Assert.Matches(@"^serial\s+3\s+390 ms\s+380–400 ms\s+510 ms\s+500–520 ms\s", serial);
        var persistent = Assert.Single(lines, l => l.StartsWith("persistent", StringComparison.Ordinal));
        Assert.Matches(@"^persistent\s+3\s+150 ms\s+140–700 ms\s+200 ms\s+190–210 ms\s", persistent);
        // Actual: persistent's slowest 210 < serial's fastest 500. Perceived: persistent's 700 overlaps serial's 380–400.
        Assert.Contains("actual (onLoad): persistent is faster", plain, StringComparison.Ordinal);
        Assert.Contains("perceived (Speed Index): no clear winner (runs overlap)", plain, StringComparison.Ordinal);

        var colored = Table(runs, color: true);
        string Green(string cell) => System.Text.RegularExpressions.Regex.Escape(Ansi.Green) + " *" + cell;
        Assert.Matches(Green("200 ms"), colored);
        Assert.DoesNotMatch(Green("150 ms"), colored);
        Assert.DoesNotMatch(Green("510 ms"), colored);
    }

    [Fact]
    public void With_one_run_each_nothing_is_green_and_the_table_says_why()
    {
        var runs = Runs("serial", ConnectionStrategy.Serial, (400, 500)).Concat(Runs("persistent", ConnectionStrategy.Persistent, (150, 200))).ToList();

        var colored = Table(runs, color: true);

        Assert.DoesNotContain(Ansi.Green, colored, StringComparison.Ordinal);
        Assert.Contains("no clear winner (one run each", colored, StringComparison.Ordinal);
    }
}
