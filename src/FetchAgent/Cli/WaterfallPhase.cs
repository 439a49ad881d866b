using FetchAgent.Engine.Model;


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

    /// <summary>Not a network phase: FetchAgent's own discovery after the last byte (<c>discoveryMs</c>), drawn after the bar.</summary>
    Discovery,
}

/// <summary>How each phase is drawn: a glyph without color, WebPageTest's colors with it.</summary>
internal static class WaterfallPhases
{
    public static readonly WaterfallPhase[] InOrder = Enum.GetValues<WaterfallPhase>();

    /// <summary>The network phases, whose durations add up to the object's time.</summary>
    public static readonly WaterfallPhase[] Network = [.. InOrder.Where(p => p != WaterfallPhase.Discovery)];

    public static char Glyph(WaterfallPhase phase) => phase switch
    {
        WaterfallPhase.Blocked => '·',
        WaterfallPhase.Dns => 'd',
        WaterfallPhase.Connect => 'c',
        WaterfallPhase.Ssl => 's',
        WaterfallPhase.Send => '>',
        WaterfallPhase.Wait => '-',
        WaterfallPhase.Receive => '=',
        WaterfallPhase.Discovery => 'p',
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
        WaterfallPhase.Discovery => Ansi.Foreground(220),
        _ => throw new ArgumentOutOfRangeException(nameof(phase)),
    };

    /// <summary>With color a cell is a colored space, except blocked (a grey dot) and discovery (a yellow hatch, not the network's).</summary>
    public static char ColoredCell(WaterfallPhase phase) => phase switch
    {
        WaterfallPhase.Blocked => '·',
        WaterfallPhase.Discovery => '▨',
        _ => ' ',
    };

    public static string Name(WaterfallPhase phase) =>
        phase == WaterfallPhase.Discovery ? "parse (FetchAgent's discovery)" : phase.ToString().ToLowerInvariant();

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
