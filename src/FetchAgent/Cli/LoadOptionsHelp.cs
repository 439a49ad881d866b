using FetchAgent.Engine.Model;

namespace FetchAgent.Cli;

/// <summary>The load options' part of <c>--help</c>, one line per option of <see cref="LoadOptions.Catalog"/>.</summary>
internal static class LoadOptionsHelp
{
    public const string Heading = "load options (the same names, camelCase, in the REST body):";

    /// <summary>
    /// <c>  --pipeline-depth N   requests in flight per connection, pipelined only (1–64; default 4)</c>, and so on for
    /// every option, the meanings lined up.
    /// </summary>
    public static string Table { get; } = Render();

    /// <summary><c>[--max-connections-per-host 1,2,4 | --pipeline-depth 1,2,4]</c>: the options a comparison may sweep.</summary>
    public static string Sweeps { get; } =
        "[" + string.Join(" | ", LoadOptions.Catalog.Where(o => o.Sweepable).Select(o => $"{o.Flag} 1,2,4")) + "]";

    /// <summary>What the option means, its range or choices with the unit, and its default.</summary>
    public static string Meaning(LoadOptionDescriptor option)
    {
        var unit = option.Unit switch
        {
            LoadOptionUnit.Milliseconds => " ms",
            LoadOptionUnit.Bytes => " bytes",
            _ => "",
        };
        var range = option.RangeText is { } text ? $"{text}{unit}; " : "";
        return $"{option.Help} ({range}default {option.DefaultText})";
    }

    private static string Render()
    {
        var rows = LoadOptions.Catalog.Select(o => (Usage: o.TakesValue ? $"{o.Flag} {o.ValueName}" : o.Flag, Meaning: Meaning(o))).ToList();
        var width = rows.Max(r => r.Usage.Length) + 3;
        return string.Join('\n', rows.Select(r => "  " + r.Usage.PadRight(width) + r.Meaning));
    }
}
