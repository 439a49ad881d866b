using FetchAgent.Engine.Discovery.Css;

namespace FetchAgent.Engine.Discovery.Html;

/// <summary>
/// Picks the one image a browser at <see cref="CssViewport.DevicePixelRatio"/> on the
/// <see cref="CssViewport"/> screen fetches from a source set (HTML §4.8.4.3.5 "select an image source").
/// </summary>
internal static class SrcsetSelection
{
    /// <summary>
    /// The chosen URL (still relative), or null when the set is empty. <paramref name="fallbackSrc"/> is an
    /// img's <c>src</c>: HTML §4.8.4.3.9 step "update the source set" adds it as a 1x candidate when srcset
    /// has no 1x and no w candidate.
    /// </summary>
    public static string? Select(string? srcset, string? sizes, string? fallbackSrc = null)
    {
        var candidates = SrcsetParser.Parse(srcset);
        if (!string.IsNullOrEmpty(fallbackSrc) && !candidates.Any(c => c.Width is not null || (c.Density ?? 1) == 1))
        {
            candidates.Add(new SrcsetCandidate(fallbackSrc, null, 1));
        }

        if (candidates.Count == 0)
        {
            return null;
        }

        // §4.8.4.3.9 "normalize the source densities": w → w / source size; no descriptor → 1x.
        var sourceSize = candidates.Any(c => c.Width is not null) ? SourceSize(sizes) : CssViewport.Width;
        var seen = new HashSet<double>();
        var resolved = new List<(string Url, double Density)>();
        foreach (var c in candidates)
        {
            var density = c.Density ?? (c.Width is { } w ? (sourceSize > 0 ? w / sourceSize : double.PositiveInfinity) : 1);
            if (seen.Add(density))
            {
                resolved.Add((c.Url, density)); // a repeated density keeps the first candidate
            }
        }

        var atLeast = resolved.Where(r => r.Density >= CssViewport.DevicePixelRatio).OrderBy(r => r.Density).ToList();
        return atLeast.Count > 0 ? atLeast[0].Url : resolved.MaxBy(r => r.Density).Url;
    }

    /// <summary>
    /// HTML §4.8.4.3.11 "parse a sizes attribute", simply: the first entry whose media condition matches
    /// (or which has none) gives the layout width in CSS px; otherwise 100vw.
    /// </summary>
    public static double SourceSize(string? sizes)
    {
        if (!string.IsNullOrWhiteSpace(sizes))
        {
            foreach (var entry in SplitTopLevelCommas(sizes))
            {
                var tokens = CssTokenizer.Tokenize(entry, out var source);
                while (tokens.Count > 0 && tokens[^1].Type == CssTokenType.Whitespace)
                {
                    tokens.RemoveAt(tokens.Count - 1);
                }

                if (tokens.Count == 0)
                {
                    continue;
                }

                var last = tokens[^1];
                double? size = last.Type switch
                {
                    CssTokenType.Dimension => CssViewport.ToPixels(CssMediaQuery.NumberOf(last, source), last.Value),
                    CssTokenType.Number when CssMediaQuery.NumberOf(last, source) == 0 => 0,
                    _ => null, // math functions and "auto" are not evaluated here
                };
                if (size is not { } px || px < 0)
                {
                    continue;
                }

                var condition = source[..last.Start].Trim();
                if (condition.Length == 0 || CssMediaQuery.MatchesCondition(condition))
                {
                    return px;
                }
            }
        }

        return CssViewport.Width; // 100vw
    }

    private static IEnumerable<string> SplitTopLevelCommas(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
            if (text[i] == ',' && depth <= 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }
}
