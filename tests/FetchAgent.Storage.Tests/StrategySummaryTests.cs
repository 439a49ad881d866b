using FetchAgent.Engine.Model;
using FetchAgent.TestServers.Samples;

using Run = FetchAgent.Storage.StrategySummary.RunFigures;

namespace FetchAgent.Storage.Tests;

public sealed class StrategySummaryTests
{
    [Fact]
    public void The_median_run_is_chosen_by_actual_and_perceived_has_its_own_median()
    {
        // By actual the middle run is run 2 (200); by perceived the middle value is run 3's (20):
        // a summary that took the median run by perceived, or perceived from the median run, differs.
        var summary = StrategySummary.Of("persistent", [new Run(1, 11, true, 30, 100), new Run(2, 12, true, 10, 200), new Run(3, 13, true, 20, 300)]);

        Assert.Equal(new StrategySummary("persistent", 3, 20, 200, 100, 300, 10, 30, 12, 2), summary);
    }

    [Fact]
    public void For_an_even_count_the_median_run_is_the_lower_middle_one_never_a_mean()
    {
        // Actual sorted: 100 (run 2), 200 (run 4), 300 (run 3), 400 (run 1): lower middle is run 4.
        var summary = StrategySummary.Of("serial", [new Run(1, 21, true, 8, 400), new Run(2, 22, true, 5, 100), new Run(3, 23, true, 7, 300), new Run(4, 24, true, 6, 200)]);

        Assert.Equal(new StrategySummary("serial", 4, 6, 200, 100, 400, 5, 8, 24, 4), summary);
    }

    [Fact]
    public void Equal_times_resolve_to_the_earlier_run_and_runs_that_do_not_count_are_left_out()
    {
        var summary = StrategySummary.Of("parallel", [new Run(1, 31, true, 50, 250), new Run(2, 32, false, 1, 1), new Run(3, 33, true, 60, 250)]);

        Assert.Equal(new StrategySummary("parallel", 2, 50, 250, 250, 250, 50, 60, 31, 1), summary);
        Assert.Equal(new StrategySummary("pipelined", 0, 0, 0, 0, 0, 0, 0, null, null), StrategySummary.Of("pipelined", [new Run(1, null, false, 0, 0)]));
    }

    [Fact]
    public async Task A_stored_comparison_summarises_each_strategy_from_its_loads_leaving_out_failed_and_deleted_ones()
    {
        await using var db = await TempDatabase.CreateAsync();
        const string url = "http://compare.test/";
        var t = SampleDocuments.Noon;
        var loads = new (ConnectionStrategy Strategy, double Perceived, double Actual, PageLoadStatus Status)[]
        {
            (ConnectionStrategy.Serial, 300, 410, PageLoadStatus.Completed),
            (ConnectionStrategy.Persistent, 120, 200, PageLoadStatus.Completed),
            (ConnectionStrategy.Serial, 290, 400, PageLoadStatus.Partial),
            (ConnectionStrategy.Persistent, 110, 9, PageLoadStatus.Failed),
            (ConnectionStrategy.Serial, 310, 420, PageLoadStatus.Completed),
            (ConnectionStrategy.Persistent, 130, 190, PageLoadStatus.Completed),
        };
        var ids = new List<long>();
        for (var i = 0; i < loads.Length; i++)
            ids.Add(await db.PageLoads.InsertAsync(SampleDocuments.Simple(url, t.AddSeconds(i), loads[i].Strategy, loads[i].Status, loads[i].Perceived, loads[i].Actual)));

        var id = await db.Comparisons.InsertAsync(url, 3, ids.Select((p, i) => (DocumentJson.Name(loads[i].Strategy), p)).ToList(), t.AddMinutes(1));
        var before = await db.Comparisons.GetAsync(id);
        Assert.NotNull(before);
        Assert.Equal(
            [
                new StrategySummary("serial", 3, 300, 410, 400, 420, 290, 310, ids[0], 1),
                // Run 2 failed: persistent counts runs 1 and 3; lower middle by actual is run 3 (190).
                new StrategySummary("persistent", 2, 120, 190, 190, 200, 120, 130, ids[5], 3),
            ],
            before.Summary);

        Assert.True(await db.PageLoads.DeleteAsync(ids[0]));
        var after = await db.Comparisons.GetAsync(id);
        Assert.NotNull(after);
        Assert.Equal(new StrategySummary("serial", 2, 290, 400, 400, 420, 290, 310, ids[2], 2), after.Summary[0]);
    }
}
