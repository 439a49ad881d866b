using System.Globalization;

namespace FetchAgent.Engine.Discovery.Css;

/// <summary>Reads the values of the font properties the font cascade needs (CSS Fonts 4 §2).</summary>
internal static class CssFontValues
{
    /// <summary>
    /// §2.1 font-family: a comma-separated list of names, each a string or a run of identifiers joined by one space;
    /// lower-cased, as family names match ASCII case-insensitively (§5.1).
    /// </summary>
    public static IReadOnlyList<string> Families(string value)
    {
        var families = new List<string>();
        var tokens = CssTokenizer.Tokenize(value, out _);
        var current = new List<string>();
        foreach (var t in tokens.Append(new CssToken(CssTokenType.Comma, "", 0, 0)))
        {
            switch (t.Type)
            {
                case CssTokenType.String or CssTokenType.Ident:
                    current.Add(t.Value);
                    break;
                case CssTokenType.Comma:
                    if (current.Count > 0)
                        families.Add(string.Join(' ', current).Trim().ToLowerInvariant());
                    current.Clear();
                    break;
            }
        }

        return families;
    }

    /// <summary>§2.4 font-style: normal, italic, oblique (with or without an angle); null for anything else.</summary>
    public static CssFontStyle? Style(string value)
    {
        var first = value.Trim().Split([' ', '\t', '\n'], 2)[0].ToLowerInvariant();
        return first switch
        {
            "normal" => CssFontStyle.Normal,
            "italic" => CssFontStyle.Italic,
            "oblique" => CssFontStyle.Oblique,
            _ => null,
        };
    }

    /// <summary>§2.2 an absolute font-weight: normal (400), bold (700) or a number 1–1000.</summary>
    public static int? AbsoluteWeight(string value)
    {
        var v = value.Trim().ToLowerInvariant();
        if (v == "normal")
            return 400;
        if (v == "bold")
            return 700;
        return double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= 1000 ? (int)Math.Round(n) : null;
    }

    /// <summary>§2.2.1 the weight <c>bolder</c> or <c>lighter</c> gives relative to the inherited weight; else the absolute one.</summary>
    public static int? Weight(string value, int inherited)
    {
        var v = value.Trim().ToLowerInvariant();
        if (v == "bolder")
            return inherited < 350 ? 400 : inherited < 550 ? 700 : inherited < 900 ? 900 : inherited;
        if (v == "lighter")
            return inherited < 100 ? inherited : inherited < 550 ? 100 : inherited < 750 ? 400 : 700;
        return AbsoluteWeight(v);
    }

    private static readonly HashSet<string> SizeKeywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "xx-small", "x-small", "small", "medium", "large", "x-large", "xx-large", "xxx-large", "larger", "smaller",
    };

    /// <summary>
    /// §2.8 the <c>font</c> shorthand: <c>[style || variant || weight || stretch]? size[/line-height]? family</c>. It
    /// sets style and weight (to normal when not given) and the family; null when it is not of that shape (a system
    /// font keyword, <c>inherit</c>, or no size before the family).
    /// </summary>
    public static (CssFontStyle Style, string Weight, IReadOnlyList<string> Families)? Shorthand(string value)
    {
        var tokens = CssTokenizer.Tokenize(value, out var source);
        var style = CssFontStyle.Normal;
        var weight = "normal";
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.Type == CssTokenType.Whitespace)
                continue;
            if (t.Type is CssTokenType.Dimension or CssTokenType.Percentage || (t.Type == CssTokenType.Ident && SizeKeywords.Contains(t.Value)) ||
                (t.Type == CssTokenType.Number && source[t.Start..t.End] == "0") || (t.Type == CssTokenType.Function && t.Value is "calc" or "clamp" or "min" or "max" or "var"))
            {
                // The size; skip a /line-height, then the rest is the family list.
                var j = SkipValue(tokens, i);
                while (j < tokens.Count && tokens[j].Type == CssTokenType.Whitespace)
                    j++;
                if (j < tokens.Count && tokens[j].Type == CssTokenType.Delim && tokens[j].Value == "/")
                {
                    j++;
                    while (j < tokens.Count && tokens[j].Type == CssTokenType.Whitespace)
                        j++;
                    j = SkipValue(tokens, j);
                }

                if (j >= tokens.Count)
                    return null;
                var families = Families(source[tokens[j].Start..]);
                return families.Count == 0 ? null : (style, weight, families);
            }

            if (t.Type == CssTokenType.Ident)
            {
                var word = t.Value.ToLowerInvariant();
                if (word is "italic" or "oblique")
                    style = word == "italic" ? CssFontStyle.Italic : CssFontStyle.Oblique;
                else if (word is "bold" or "bolder" or "lighter")
                    weight = word;
            }
            else if (t.Type == CssTokenType.Number)
            {
                weight = source[t.Start..t.End];
            }
        }

        return null;
    }

    /// <summary>The index just past the value at <paramref name="i"/> (a function through its closing parenthesis).</summary>
    private static int SkipValue(List<CssToken> tokens, int i)
    {
        if (tokens[i].Type != CssTokenType.Function)
            return i + 1;
        var depth = 0;
        for (; i < tokens.Count; i++)
        {
            depth += tokens[i].Type is CssTokenType.Function or CssTokenType.OpenParen ? 1 : tokens[i].Type == CssTokenType.CloseParen ? -1 : 0;
            if (depth == 0)
                return i + 1;
        }

        return i;
    }
}
