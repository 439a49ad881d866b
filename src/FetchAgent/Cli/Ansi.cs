namespace FetchAgent.Cli;

/// <summary>ANSI SGR escape sequences, 256-color palette (works in every common terminal).</summary>
internal static class Ansi
{
    public const string Reset = "\u001b[0m";
    public const string Bold = "\u001b[1m";
    public const string Dim = "\u001b[2m";
    public const string Red = "\u001b[31m";
    public const string Green = "\u001b[32m";

    public static string Background(int color) => $"\u001b[48;5;{color}m";
    public static string Foreground(int color) => $"\u001b[38;5;{color}m";
}
