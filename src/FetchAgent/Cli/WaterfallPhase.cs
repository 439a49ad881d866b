using FetchAgent.Engine.Timeline;

namespace FetchAgent.Cli;

/// <summary>The phases of one object's bar, in the order they happen (HAR 1.2 timings).</summary>
internal enum WaterfallPhase
{
    Blocked,
    Dns,
    Connect,
    Ssl,
    Send,
    Wait,
    Receive,
}

/// <summary>How each phase is drawn: a glyph without color, WebPageTest's colors with it.</summary>
internal static class WaterfallPhases
{
    public static readonly WaterfallPhase[] InOrder = Enum.GetValues<WaterfallPhase>();

    public static char Glyph(WaterfallPhase phase) => phase switch
    {
        WaterfallPhase.Blocked => '·',
        WaterfallPhase.Dns => 'd',
        WaterfallPhase.Connect => 'c',
        WaterfallPhase.Ssl => 's',
        WaterfallPhase.Send => '>',
        WaterfallPhase.Wait => '-',
        WaterfallPhase.Receive => '=',
        _ => throw new ArgumentOutOfRangeException(nameof(phase)),
    };

    /// <summary>
    /// WebPageTest's waterfall palette: DNS teal, connect orange, SSL purple, TTFB (wait) green,
    /// content download (receive) blue. Blocked is a grey dot, as queueing draws no bar there.
    /// </summary>
    public static string Style(WaterfallPhase phase) => phase switch
    {
        WaterfallPhase.Blocked => Ansi.Foreground(245),
        WaterfallPhase.Dns => Ansi.Background(30),
        WaterfallPhase.Connect => Ansi.Background(208),
        WaterfallPhase.Ssl => Ansi.Background(134),
        WaterfallPhase.Send => Ansi.Background(114),
        WaterfallPhase.Wait => Ansi.Background(40),
        WaterfallPhase.Receive => Ansi.Background(33),
        _ => throw new ArgumentOutOfRangeException(nameof(phase)),
    };

    /// <summary>With color a cell is a colored space, except blocked which stays a grey dot.</summary>
    public static char ColoredCell(WaterfallPhase phase) => phase == WaterfallPhase.Blocked ? '·' : ' ';

    public static string Name(WaterfallPhase phase) => phase.ToString().ToLowerInvariant();

    /// <summary>
    /// Each phase's duration, 0 where it did not happen. HAR puts SSL inside connect, so the
    /// connect phase drawn is connect minus SSL.
    /// </summary>
    public static double[] Durations(ObjectTimings t)
    {
        var ssl = Math.Max(t.Ssl, 0);
        return
        [
            Math.Max(t.Blocked, 0),
            Math.Max(t.Dns, 0),
            Math.Max(Math.Max(t.Connect, 0) - ssl, 0),
            ssl,
            Math.Max(t.Send, 0),
            Math.Max(t.Wait, 0),
            Math.Max(t.Receive, 0),
        ];
    }
}
