using FetchAgent.TestServers.Capture;

namespace FetchAgent.Tests.Capture;

/// <summary>
/// The capture tests' judgement over loads (<see cref="CaptureVerdict"/>): scheduler delays that land on different
/// phases in different loads pass; an error in the same phase of every load fails, as does a bias under the per-phase
/// tolerance that touches every object.
/// </summary>
public sealed class CaptureVerdictTests
{
    private const double Tolerance = 2.0;
    private const double MedianTolerance = 1.0;

    [Fact]
    public void One_load_inside_throughout_holds_at_once()
    {
        var verdict = CaptureVerdict.Of([Load()], Tolerance, MedianTolerance);

        Assert.True(verdict.Holds);
        Assert.Empty(verdict.NeverInside);
    }

    [Fact]
    public void Delays_on_different_phases_in_different_loads_hold()
    {
        var first = Load(late: ("receive", "/img/4.png", 4.1));
        var second = Load(late: ("wait", "/img/7.png", 6.2));

        Assert.False(CaptureVerdict.Of([first], Tolerance, MedianTolerance).Holds);
        Assert.True(CaptureVerdict.Of([first, second], Tolerance, MedianTolerance).Holds);
    }

    [Fact]
    public void The_same_phase_outside_in_every_load_fails_and_is_named()
    {
        // Parsing the document inside its receive: the same object's same phase, every load.
        var loads = Enumerable.Range(0, 5).Select(_ => Load(late: ("receive", "/index.html", 3.5))).ToList();

        var verdict = CaptureVerdict.Of(loads, Tolerance, MedianTolerance);

        Assert.False(verdict.Holds);
        var phase = Assert.Single(verdict.NeverInside);
        Assert.Equal("receive /index.html", phase.Key);
        Assert.Equal(5, phase.Count());
        Assert.Contains("receive /index.html outside 2 ms in every load", verdict.Describe());
    }

    [Fact]
    public void A_boundary_off_by_more_than_the_tolerance_counts_as_outside()
    {
        // The right length, stamped 2.5 ms late at both ends: the phase sits in the wrong place on the axis.
        var shifted = Load().Select(e => e.Url == "/app.js" && e.Phase == "wait" ? e with { BoundaryOffsetMs = 2.5 } : e).ToList();

        var verdict = CaptureVerdict.Of([shifted, shifted], Tolerance, MedianTolerance);

        Assert.Equal("wait /app.js", Assert.Single(verdict.NeverInside).Key);
    }

    [Fact]
    public void A_bias_under_the_tolerance_on_every_object_fails_on_its_median()
    {
        // 1.5 ms too long on every wait: inside 2 ms each time, but no scheduler delay looks like that.
        var biased = Load().Select(e => e.Phase == "wait" ? e with { ReportedMs = e.WireMs + 1.5 } : e).ToList();

        var verdict = CaptureVerdict.Of([biased, biased, biased], Tolerance, MedianTolerance);

        Assert.Empty(verdict.NeverInside);
        Assert.Equal(1.5, verdict.Medians["wait"], 3);
        Assert.Equal(0.0, verdict.Medians["receive"], 3);
        Assert.False(verdict.Holds);
        Assert.Contains("wait: median error 1.500 ms over all loads, over 1 ms", verdict.Describe());
    }

    [Fact]
    public void Connections_are_known_by_the_order_they_opened_not_by_their_ids()
    {
        // Connection ids differ between loads (a daemon numbers them on); the second connection's ssl is the same phase.
        var first = Load(connectionIds: (1, 2), late: ("ssl", "connection 2", 3.0));
        var second = Load(connectionIds: (7, 8), late: ("ssl", "connection 2", 3.0));

        var verdict = CaptureVerdict.Of([first, second], Tolerance, MedianTolerance);

        Assert.Equal("connection 2 ssl", Assert.Single(verdict.NeverInside).Key);
    }

    [Fact]
    public void A_phase_one_load_had_alone_is_left_to_the_medians_once_another_load_did_not_repeat_it()
    {
        // /img/9.png waited for a busy connection in the first load only; its send was read late then.
        var first = Load().Append(new PhaseError(5, "/img/9.png", 1, "send", 5.9, 0.7, 5.8)).ToList();
        var second = Load();

        Assert.False(CaptureVerdict.Of([first], Tolerance, MedianTolerance).Holds);
        var verdict = CaptureVerdict.Of([first, second], Tolerance, MedianTolerance);
        Assert.Empty(verdict.NeverInside);
        Assert.True(verdict.Holds);
        // Seen in two loads and outside in both, it is judged.
        Assert.Equal("send /img/9.png", Assert.Single(CaptureVerdict.Of([first, second, first], Tolerance, MedianTolerance).NeverInside).Key);
    }

    [Fact]
    public void The_first_send_on_a_new_connection_is_known_by_the_connection_whichever_object_opened_it()
    {
        // The second connection is opened by /app.js in one load and by /img/4.png in the other; its first send is
        // stamped 3 ms late in both: the same phase, outside every time.
        List<PhaseError> Opener(string url, int objectId) =>
        [
            new(1, "/index.html", 1, "connect", 0.2, 0.2, 0.0),
            new(1, "/index.html", 1, "send", 0.1, 0.1, 0.0),
            new(objectId, url, 2, "connect", 0.2, 0.2, 0.0),
            new(objectId, url, 2, "send", 3.2, 0.2, 3.0),
        ];

        var verdict = CaptureVerdict.Of([Opener("/app.js", 2), Opener("/img/4.png", 3)], Tolerance, MedianTolerance);

        Assert.Equal("connection 2 send", Assert.Single(verdict.NeverInside).Key);
    }

    /// <summary>A two-connection load of four objects whose every phase matches its packets, but one late reading.</summary>
    private static List<PhaseError> Load((int First, int Second)? connectionIds = null, (string Phase, string Where, double ErrorMs)? late = null)
    {
        var (a, b) = connectionIds ?? (1, 2);
        List<PhaseError> load =
        [
            new(1, "/index.html", a, "connect", 0.2, 0.2, 0.0),
            new(1, "/index.html", a, "ssl", 1.0, 1.0, 0.1),
            new(1, "/index.html", a, "wait", 30.5, 30.5, 0.1),
            new(1, "/index.html", a, "receive", 0.8, 0.8, 0.1),
            new(2, "/app.js", b, "connect", 0.2, 0.2, 0.0),
            new(2, "/app.js", b, "ssl", 1.0, 1.0, 0.1),
            new(2, "/app.js", b, "wait", 30.2, 30.2, 0.1),
            new(2, "/app.js", b, "receive", 0.1, 0.1, 0.1),
            new(3, "/img/4.png", a, "send", 0.2, 0.2, 0.0),
            new(3, "/img/4.png", a, "wait", 30.1, 30.1, 0.1),
            new(3, "/img/4.png", a, "receive", 0.3, 0.3, 0.1),
            new(4, "/img/7.png", b, "send", 0.2, 0.2, 0.0),
            new(4, "/img/7.png", b, "wait", 30.1, 30.1, 0.1),
            new(4, "/img/7.png", b, "receive", 0.3, 0.3, 0.1),
        ];
        if (late is not { } l)
            return load;
        var connection = l.Where == "connection 2" ? b : -1;
        return [.. load.Select(e => e.Phase == l.Phase && (e.Url == l.Where || e.ConnectionId == connection)
            ? e with { ReportedMs = e.WireMs + l.ErrorMs, BoundaryOffsetMs = l.ErrorMs }
            : e)];
    }
}
