namespace FetchAgent.Engine.Discovery.Css;

/// <summary>CSS Variables 1 §3: <c>var(--name[, fallback])</c> replaced by the inherited custom property's value.</summary>
internal static class CssCustomProperties
{
    public static string Substitute(string value, IReadOnlyDictionary<string, string> properties, int depth = 0)
    {
        var at = value.IndexOf("var(", StringComparison.OrdinalIgnoreCase);
        if (at < 0 || depth > 8)
            return value;
        var open = at + 4;
        var level = 1;
        var close = open;
        var comma = -1;
        for (; close < value.Length && level > 0; close++)
        {
            var c = value[close];
            if (c == '(')
                level++;
            else if (c == ')')
                level--;
            else if (c == ',' && level == 1 && comma < 0)
                comma = close;
        }

        if (level != 0)
            return value;
        var inner = value[open..(close - 1)];
        var name = (comma < 0 ? inner : value[open..comma]).Trim().ToLowerInvariant();
        var replacement = properties.TryGetValue(name, out var found) ? found : comma < 0 ? "" : value[(comma + 1)..(close - 1)].Trim();
        var substituted = value[..at] + Substitute(replacement, properties, depth + 1) + value[close..];
        return Substitute(substituted, properties, depth + 1);
    }
}
