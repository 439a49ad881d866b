namespace FetchAgent.Engine.Discovery.Css;

/// <summary>
/// CSS Fonts 4 §5 "font matching", for the faces a page defines: for each character of a run of text, the families of
/// its font-family list are tried in order (§5.1); a family with <c>@font-face</c> rules picks its faces by style,
/// then weight (§5.2 steps 4c, 4d), and of those the faces whose <c>unicode-range</c> covers the character are the
/// ones a browser loads; a generic family ends the list (the system has a font for it). A name that is neither is taken
/// as a font the system does not have, and the next family is tried.
/// </summary>
internal static class CssFontFaceMatching
{
    private static readonly HashSet<string> Generic = new(StringComparer.Ordinal)
    {
        "serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui", "ui-serif", "ui-sans-serif", "ui-monospace",
        "ui-rounded", "math", "emoji", "fangsong",
    };

    /// <summary>Adds to <paramref name="used"/> the faces the text needs.</summary>
    public static void FacesFor(CssComputedFont font, IReadOnlySet<int> codePoints, ILookup<string, CssFontFace> faces, HashSet<CssFontFace> used)
    {
        var chosen = new Dictionary<string, List<CssFontFace>>(StringComparer.Ordinal);
        foreach (var c in codePoints)
        {
            foreach (var family in font.Families)
            {
                if (Generic.Contains(family))
                    break;
                if (!faces.Contains(family))
                    continue;
                if (!chosen.TryGetValue(family, out var set))
                    chosen[family] = set = Select(faces[family].ToList(), font.Weight, font.Style);
                var covered = false;
                foreach (var face in set)
                {
                    if (face.Covers(c))
                    {
                        used.Add(face);
                        covered = true;
                    }
                }

                if (covered)
                    break;
            }
        }
    }

    /// <summary>§5.2: the faces (one segmented face: the same style and weights, any unicode-range) the style and weight pick.</summary>
    internal static List<CssFontFace> Select(List<CssFontFace> faces, int weight, CssFontStyle style)
    {
        // 4c font-style: italic prefers italic, then oblique, then normal; oblique prefers oblique, then italic; normal
        // prefers normal, then oblique, then italic.
        CssFontStyle[] order = style switch
        {
            CssFontStyle.Italic => [CssFontStyle.Italic, CssFontStyle.Oblique, CssFontStyle.Normal],
            CssFontStyle.Oblique => [CssFontStyle.Oblique, CssFontStyle.Italic, CssFontStyle.Normal],
            _ => [CssFontStyle.Normal, CssFontStyle.Oblique, CssFontStyle.Italic],
        };
        var byStyle = order.Select(s => faces.Where(f => f.Style == s).ToList()).First(l => l.Count > 0);
        var best = byStyle.MinBy(f => WeightRank(f, weight))!;
        return byStyle.Where(f => f.WeightMin == best.WeightMin && f.WeightMax == best.WeightMax).ToList();
    }

    /// <summary>
    /// 4d font-weight, as a rank (lower is better): a face whose range holds the weight first; for a weight from 400 to
    /// 500, heavier faces up to 500, then lighter ones, then heavier; below 400 lighter faces first, above 500 heavier first.
    /// </summary>
    private static (int Tier, int Distance) WeightRank(CssFontFace face, int desired)
    {
        if (desired >= face.WeightMin && desired <= face.WeightMax)
            return (0, 0);
        var heavier = face.WeightMin > desired;
        var distance = heavier ? face.WeightMin - desired : desired - face.WeightMax;
        if (desired >= 400 && desired <= 500)
        {
            if (heavier && face.WeightMin <= 500)
                return (1, distance);
            return heavier ? (3, distance) : (2, distance);
        }

        if (desired < 400)
            return heavier ? (2, distance) : (1, distance);
        return heavier ? (1, distance) : (2, distance);
    }
}
