using System.Globalization;
using System.Text.RegularExpressions;

namespace FetchAgent.Engine.Discovery.Css;

/// <summary>The style a face is for, or an element asks for (CSS Fonts 4 §2.4 font-style).</summary>
internal enum CssFontStyle : byte
{
    Normal,
    Italic,
    Oblique,
}

/// <summary>
/// One <c>@font-face</c> rule: the family it defines, the weights and style it is for, the code points it covers
/// (<c>unicode-range</c>, §4.5) and the one URL a browser would fetch from its <c>src</c> (the last <c>src</c>
/// declaration, since a later declaration overrides an earlier one; in it the first entry a browser can load).
/// </summary>
internal sealed partial record CssFontFace(string Family, int WeightMin, int WeightMax, CssFontStyle Style, IReadOnlyList<(int First, int Last)> Ranges, DiscoveredResource? Source)
{
    /// <summary>All of Unicode: a face without <c>unicode-range</c> (§4.5 initial value U+0-10FFFF).</summary>
    public static readonly IReadOnlyList<(int, int)> AllCodePoints = [(0, 0x10FFFF)];

    public bool Covers(int codePoint)
    {
        foreach (var (first, last) in Ranges)
        {
            if (codePoint >= first && codePoint <= last)
                return true;
        }

        return false;
    }

    /// <summary>Reads the descriptors of an <c>@font-face</c> block; null when it names no family.</summary>
    public static CssFontFace? From(IReadOnlyList<CssDeclaration> descriptors, Uri baseUrl)
    {
        string? family = null;
        int weightMin = 400, weightMax = 400;
        var style = CssFontStyle.Normal;
        IReadOnlyList<(int, int)> ranges = AllCodePoints;
        string? src = null;
        foreach (var d in descriptors)
        {
            switch (d.Name)
            {
                case "font-family":
                    family = CssFontValues.Families(d.Value).FirstOrDefault();
                    break;
                case "font-weight":
                    (weightMin, weightMax) = Weights(d.Value);
                    break;
                case "font-style":
                    style = CssFontValues.Style(d.Value) ?? CssFontStyle.Normal;
                    break;
                case "unicode-range":
                    ranges = UnicodeRanges(d.Value);
                    break;
                case "src":
                    src = d.Value; // Fonts 4 §4.3; the last declaration wins (Syntax 3: declarations of a block in order)
                    break;
            }
        }

        if (family is null)
            return null;
        return new CssFontFace(family, weightMin, weightMax, style, ranges, src is null ? null : ReadSource(src, baseUrl));
    }

    private static DiscoveredResource? ReadSource(string value, Uri baseUrl)
    {
        var text = CssTokenizer.Preprocess(value);
        var tokens = new CssTokenizer(text);
        var found = new ResourceSet();
        CssFontFaceSource.Scan(ref tokens, baseUrl, found);
        return found.Items.Count > 0 ? found.Items[0] : null;
    }

    /// <summary>§4.4 font-weight descriptor: <c>normal</c>, <c>bold</c>, a number, or a range of two; <c>auto</c> is every weight.</summary>
    private static (int, int) Weights(string value)
    {
        var parts = value.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 1 && parts[0].Equals("auto", StringComparison.OrdinalIgnoreCase))
            return (1, 1000);
        var weights = parts.Select(CssFontValues.AbsoluteWeight).Where(w => w is not null).Select(w => w!.Value).ToList();
        return weights.Count switch
        {
            0 => (400, 400),
            1 => (weights[0], weights[0]),
            _ => (Math.Min(weights[0], weights[1]), Math.Max(weights[0], weights[1])),
        };
    }

    /// <summary>§4.5: <c>U+26</c>, <c>U+0-7F</c>, <c>U+4??</c>, comma-separated; nothing readable is all of Unicode.</summary>
    internal static IReadOnlyList<(int, int)> UnicodeRanges(string value)
    {
        var ranges = new List<(int, int)>();
        foreach (Match m in UnicodeRange().Matches(value))
        {
            var first = m.Groups["first"].Value;
            var last = m.Groups["last"].Value;
            if (first.Contains('?'))
            {
                ranges.Add((Hex(first.Replace('?', '0')), Hex(first.Replace('?', 'F'))));
            }
            else
            {
                var start = Hex(first);
                ranges.Add((start, last.Length > 0 ? Hex(last) : start));
            }
        }

        return ranges.Count == 0 ? AllCodePoints : ranges;
    }

    private static int Hex(string digits) => int.Parse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"[uU]\+(?<first>[0-9a-fA-F?]{1,6})(?:-(?<last>[0-9a-fA-F]{1,6}))?")]
    private static partial Regex UnicodeRange();
}
