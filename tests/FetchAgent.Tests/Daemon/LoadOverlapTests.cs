using FetchAgent.Daemon;

namespace FetchAgent.Tests.Daemon;

public sealed class LoadOverlapTests
{
    [Fact]
    public void Each_load_keeps_the_most_others_seen_at_any_moment_not_the_count_at_its_end_or_ever()
    {
        var overlap = new LoadOverlap();

        overlap.Started(1);            // 1 alone
        overlap.Started(2);            // 1 and 2
        overlap.Started(3);            // 1, 2 and 3: everyone has 2 others
        Assert.Equal(2, overlap.Ended(3));
        Assert.Equal(2, overlap.Ended(2));
        overlap.Started(4);            // 1 and 4: 1 keeps its 2, 4 starts with 1
        Assert.Equal(2, overlap.MaxOthers(1));
        Assert.Equal(1, overlap.MaxOthers(4));
        Assert.Equal(1, overlap.Ended(4));
        Assert.Equal(2, overlap.Ended(1));

        overlap.Started(5);            // after everyone left: alone
        Assert.Equal(0, overlap.Ended(5));
        Assert.Equal(0, overlap.Ended(5));
    }
}
