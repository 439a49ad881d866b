namespace FetchAgent.Engine.Discovery.Css;

/// <summary>
/// Evaluates one media feature — <c>(min-width: 600px)</c>, <c>(orientation: landscape)</c>,
/// <c>(400px &lt;= width &lt; 900px)</c> — against <see cref="CssViewport"/> (Media Queries 4 §4–§11).
/// Returns null for a feature or value it does not understand.
/// </summary>
internal static class CssMediaFeature
{
    public static bool? Evaluate(List<CssToken> tokens, string source)
    {
        if (tokens.Count == 1 && tokens[0].Type == CssTokenType.Ident)
        {
            return BooleanContext(tokens[0].Value.ToLowerInvariant());
        }

        if (tokens.Count >= 3 && tokens[0].Type == CssTokenType.Ident && tokens[1].Type == CssTokenType.Colon)
        {
            var name = tokens[0].Value.ToLowerInvariant();
            var value = tokens.Skip(2).ToList();
            var prefix = name.StartsWith("min-", StringComparison.Ordinal) ? "min" : name.StartsWith("max-", StringComparison.Ordinal) ? "max" : null;
            var bare = prefix is null ? name : name[4..];
            if (bare.StartsWith("-webkit-", StringComparison.Ordinal))
            {
                bare = bare[8..];
            }

            if (name.StartsWith("-webkit-", StringComparison.Ordinal))
            {
                // -webkit-min-device-pixel-ratio: 2
                var rest = name[8..];
                prefix = rest.StartsWith("min-", StringComparison.Ordinal) ? "min" : rest.StartsWith("max-", StringComparison.Ordinal) ? "max" : null;
                bare = prefix is null ? rest : rest[4..];
            }

            if (Actual(bare) is { } actual)
            {
                if (Value(bare, value, source) is not { } wanted)
                {
                    return null;
                }

                return prefix switch
                {
                    "min" => actual >= wanted - 1e-9,
                    "max" => actual <= wanted + 1e-9,
                    _ => Math.Abs(actual - wanted) < 1e-9,
                };
            }

            if (prefix is null && value.Count == 1 && value[0].Type == CssTokenType.Ident)
            {
                return Discrete(bare, value[0].Value.ToLowerInvariant());
            }

            return null;
        }

        return Range(tokens, source);
    }

    /// <summary>Media Queries 4 §2.4.4 range context: <c>value op name</c>, <c>name op value</c>, <c>v op name op v</c>.</summary>
    private static bool? Range(List<CssToken> tokens, string source)
    {
        var parts = new List<List<CssToken>> { new() };
        var ops = new List<string>();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Type == CssTokenType.Delim && tokens[i].Value is "<" or ">" or "=")
            {
                var op = tokens[i].Value;
                if (op != "=" && i + 1 < tokens.Count && tokens[i + 1].Type == CssTokenType.Delim && tokens[i + 1].Value == "=")
                {
                    op += "=";
                    i++;
                }

                ops.Add(op);
                parts.Add([]);
            }
            else
            {
                parts[^1].Add(tokens[i]);
            }
        }

        if (ops.Count is < 1 or > 2)
        {
            return null;
        }

        var nameIndex = parts.FindIndex(p => p.Count == 1 && p[0].Type == CssTokenType.Ident);
        if (nameIndex < 0 || Actual(parts[nameIndex][0].Value.ToLowerInvariant()) is not { } actual)
        {
            return null;
        }

        var name = parts[nameIndex][0].Value.ToLowerInvariant();
        var values = new double[parts.Count];
        for (var p = 0; p < parts.Count; p++)
        {
            if (p == nameIndex)
            {
                values[p] = actual;
            }
            else if (Value(name, parts[p], source) is { } v)
            {
                values[p] = v;
            }
            else
            {
                return null;
            }
        }

        for (var k = 0; k < ops.Count; k++)
        {
            var (a, b) = (values[k], values[k + 1]);
            var holds = ops[k] switch
            {
                "<" => a < b,
                "<=" => a <= b + 1e-9,
                ">" => a > b,
                ">=" => a >= b - 1e-9,
                _ => Math.Abs(a - b) < 1e-9,
            };
            if (!holds)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The screen's value of a numeric feature, or null when the feature is not numeric.</summary>
    private static double? Actual(string name) => name switch
    {
        "width" or "device-width" => CssViewport.Width,
        "height" or "device-height" => CssViewport.Height,
        "aspect-ratio" or "device-aspect-ratio" => CssViewport.Width / CssViewport.Height,
        "resolution" or "device-pixel-ratio" => CssViewport.DevicePixelRatio,
        "color" => 8,
        "color-index" or "monochrome" or "grid" => 0,
        _ => null,
    };

    private static double? Value(string name, List<CssToken> value, string source)
    {
        if (name is "aspect-ratio" or "device-aspect-ratio")
        {
            // <ratio> = <number> [ / <number> ]?
            if (value.Count == 3 && value[1].Type == CssTokenType.Delim && value[1].Value == "/" &&
                value[0].Type == CssTokenType.Number && value[2].Type == CssTokenType.Number)
            {
                var d = CssMediaQuery.NumberOf(value[2], source);
                return d == 0 ? null : CssMediaQuery.NumberOf(value[0], source) / d;
            }
        }

        if (value.Count != 1)
        {
            return null;
        }

        var t = value[0];
        if (name == "resolution" && t.Type == CssTokenType.Dimension)
        {
            var n = CssMediaQuery.NumberOf(t, source);
            return t.Value.ToLowerInvariant() switch
            {
                "dppx" or "x" => n,
                "dpi" => n / 96,
                "dpcm" => n * 2.54 / 96,
                _ => null,
            };
        }

        return t.Type switch
        {
            CssTokenType.Number => CssMediaQuery.NumberOf(t, source),
            CssTokenType.Dimension => CssViewport.ToPixels(CssMediaQuery.NumberOf(t, source), t.Value),
            _ => null,
        };
    }

    /// <summary>Discrete features as a desktop browser with a mouse reports them.</summary>
    private static bool? Discrete(string name, string value) => name switch
    {
        "orientation" => value == "landscape",
        "hover" or "any-hover" => value == "hover",
        "pointer" or "any-pointer" => value == "fine",
        "prefers-color-scheme" => value == "light",
        "prefers-reduced-motion" or "prefers-reduced-transparency" or "prefers-contrast" or "prefers-reduced-data" => value == "no-preference",
        "forced-colors" or "inverted-colors" => value == "none",
        "scripting" => value == "enabled",
        "display-mode" => value == "browser",
        "update" => value == "fast",
        "overflow-block" => value == "scroll",
        "overflow-inline" => value == "scroll",
        "color-gamut" => value == "srgb",
        "dynamic-range" or "video-dynamic-range" => value == "standard",
        _ => null,
    };

    /// <summary>Media Queries 4 §2.4.3: a feature alone matches when its value is not zero or none.</summary>
    private static bool? BooleanContext(string name) => name switch
    {
        "monochrome" or "grid" or "color-index" => false,
        "prefers-reduced-motion" or "prefers-reduced-transparency" or "prefers-contrast" or "forced-colors" or "inverted-colors" => false,
        _ when Actual(name) is not null => true,
        "orientation" or "hover" or "any-hover" or "pointer" or "any-pointer" or "scripting" or "update" or "color-gamut" => true,
        _ => null,
    };
}
