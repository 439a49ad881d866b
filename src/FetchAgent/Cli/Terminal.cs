namespace FetchAgent.Cli;

/// <summary>What the terminal on stdout can show.</summary>
internal static class Terminal
{
    public static int Width()
    {
        if (Console.IsOutputRedirected)
            return int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 20 ? columns : 120;
        try
        {
            return Math.Max(40, Console.WindowWidth);
        }
        catch (IOException)
        {
            return 120;
        }
    }

    /// <summary>Colours only on a terminal, and never when NO_COLOR is set (no-color.org).</summary>
    public static bool UseColor(bool noColorOption) =>
        !noColorOption && !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
}
