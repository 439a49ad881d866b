using FetchAgent.Engine.Model;
using FetchAgent.Engine.Timeline;
using static FetchAgent.TestServers.Samples.SampleDocuments;

namespace FetchAgent.Engine.Tests.Timeline;

/// <summary>Invariants over a few hundred random page loads from fixed seeds.</summary>
public sealed class SpeedIndexPropertyTests
{
    private static readonly ResourceKind[] Kinds = Enum.GetValues<ResourceKind>();

    public static TheoryData<int> Seeds()
    {
        var seeds = new TheoryData<int>();
        for (var seed = 1; seed <= 300; seed++)
            seeds.Add(seed);
        return seeds;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Speed_index_lies_between_start_render_and_visually_complete(int seed)
    {
        var document = RandomDocument(new Random(seed));

        PageMetricsCalculator.Compute(document);
        var m = document.Metrics;

        Assert.InRange(m.SpeedIndexMs, m.StartRenderMs - 1e-9, m.VisuallyCompleteMs + 1e-9);
        Assert.True(m.StartRenderMs >= m.TtfbMs);
        Assert.True(m.ActualMs >= m.DomContentLoadedMs);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Visual_progress_never_goes_back_and_ends_complete(int seed)
    {
        var document = RandomDocument(new Random(seed));

        PageMetricsCalculator.Compute(document);
        var progress = document.VisualProgress;

        Assert.Equal(new VisualProgressPoint(0, 0), progress[0]);
        Assert.Equal(new VisualProgressPoint(document.Metrics.VisuallyCompleteMs, 100), progress[^1]);
        Assert.Contains(progress, p => p.Ms == document.Metrics.StartRenderMs);
        for (var i = 1; i < progress.Count; i++)
        {
            Assert.True(progress[i].Ms >= progress[i - 1].Ms, $"ms goes back at {i}");
            Assert.True(progress[i].Percent >= progress[i - 1].Percent, $"percent goes back at {i}");
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Speed_index_is_the_area_above_the_progress_line_and_matches_sampling(int seed)
    {
        var document = RandomDocument(new Random(seed));

        PageMetricsCalculator.Compute(document);
        var m = document.Metrics;

        // The breakpoints joined by straight lines are displayed(t) exactly, so trapezoids are exact too.
        var progress = document.VisualProgress;
        var trapezoids = 0.0;
        for (var i = 1; i < progress.Count; i++)
            trapezoids += (progress[i].Ms - progress[i - 1].Ms) * (1 - (progress[i].Percent + progress[i - 1].Percent) / 200);
        Assert.Equal(trapezoids, m.SpeedIndexMs, 1e-6 * Math.Max(1, m.SpeedIndexMs));

        // An independent midpoint sum of the definition, straight from the objects.
        var sampled = SampledSpeedIndex(document, steps: 20_000);
        Assert.Equal(sampled, m.SpeedIndexMs, 0.002 * Math.Max(1, m.VisuallyCompleteMs));
    }

    private static double SampledSpeedIndex(PageLoadDocument document, int steps)
    {
        var m = document.Metrics;
        var final = document.Objects.Where(o => o.Kind == ResourceKind.Document).MaxBy(o => o.Id)!;
        var visible = document.Objects.Where(o =>
            o.Error is null && o.Status is >= 200 and < 300 &&
            (ReferenceEquals(o, final) || o.Kind is ResourceKind.Stylesheet or ResourceKind.Font or ResourceKind.Image)).ToList();
        double total = visible.Sum(o => o.BodyBytes);
        var dt = m.VisuallyCompleteMs / steps;
        var area = 0.0;
        for (var i = 0; i < steps; i++)
        {
            var t = (i + 0.5) * dt;
            double displayed;
            if (t < m.StartRenderMs)
                displayed = 0;
            else if (total == 0)
                displayed = 1;
            else
                displayed = visible.Sum(o => o.BodyBytes * Fraction(o, t)) / total;
            area += (1 - displayed) * dt;
        }
        return area;
    }

    private static double Fraction(ObjectRecord o, double t)
    {
        var start = o.EndMs - o.Timings.Receive;
        if (o.Timings.Receive <= 0)
            return t >= o.EndMs ? 1 : 0;
        return Math.Clamp((t - start) / o.Timings.Receive, 0, 1);
    }

    private static PageLoadDocument RandomDocument(Random random)
    {
        var objects = new List<ObjectRecord>();
        var hops = random.Next(0, 3);
        var clock = 0.0;
        for (var id = 1; id <= hops + 1; id++)
        {
            var end = clock + 5 + random.NextDouble() * 200;
            var isHop = id <= hops;
            objects.Add(Received(id, ResourceKind.Document, clock, end, Receive(random, end - clock),
                random.Next(0, 20_000), status: isHop ? 302 : 200));
            clock = end;
        }

        var count = random.Next(0, 25);
        for (var i = 0; i < count; i++)
        {
            var kind = Kinds[random.Next(Kinds.Length)];
            if (kind == ResourceKind.Document)
                kind = ResourceKind.Other;
            var start = clock + random.NextDouble() * 800;
            var end = start + random.NextDouble() * 600;
            var status = random.Next(10) == 0 ? 404 : 200;
            var error = random.Next(12) == 0 ? "timeout: no response in 30000 ms" : null;
            objects.Add(Received(objects.Count + 1, kind, start, end, Receive(random, end - start),
                random.Next(0, 4) == 0 ? 0 : random.Next(1, 200_000), status, error,
                renderBlocking: random.Next(4) == 0, parserBlocking: random.Next(4) == 0));
        }
        return Document([.. objects]);
    }

    // Sometimes all at once (a step), else part or all of the exchange.
    private static double Receive(Random random, double duration) =>
        random.Next(5) == 0 ? 0 : random.NextDouble() * duration;
}
