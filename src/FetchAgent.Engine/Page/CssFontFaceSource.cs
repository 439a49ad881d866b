using FetchAgent.Engine.Timeline;

namespace FetchAgent.Engine.Page;

/// <summary>
/// The <c>src</c> descriptor of <c>@font-face</c> (CSS Fonts 4 §4.3) is a fallback list: a browser
/// fetches the first entry it can use and nothing after it. <c>local()</c> entries are taken as not
/// installed; an entry whose <c>format()</c> names a format a current browser cannot load is skipped.
/// </summary>
internal static class CssFontFaceSource
{
    /// <summary>Reads the descriptor value from <paramref name="i"/>; returns the index of the token that ends it.</summary>
    public static int Scan(List<CssToken> tokens, int i, Uri baseUrl, HtmlResourceSet found)
    {
        var entries = new List<List<CssToken>> { new() };
        var depth = 0;
        for (; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (depth == 0 && t.Type is CssTokenType.Semicolon or CssTokenType.CloseCurly)
            {
                break;
            }

            depth += t.Type is CssTokenType.Function or CssTokenType.OpenParen ? 1 : t.Type == CssTokenType.CloseParen ? -1 : 0;
            if (depth == 0 && t.Type == CssTokenType.Comma)
            {
                entries.Add([]);
            }
            else
            {
                entries[^1].Add(t);
            }
        }

        foreach (var entry in entries)
        {
            if (Url(entry) is { } url && Supported(entry))
            {
                CssReferenceScanner.AddReference(url, baseUrl, inFontFace: true, found);
                break;
            }
        }

        return i - 1; // the caller's loop steps onto the ; or }
    }

    private static string? Url(List<CssToken> entry)
    {
        if (entry.Count == 0)
        {
            return null;
        }

        if (entry[0].Type == CssTokenType.Url)
        {
            return entry[0].Value;
        }

        return entry.Count > 1 && (entry[0].IsFunction("url") || entry[0].IsFunction("src")) && entry[1].Type == CssTokenType.String
            ? entry[1].Value
            : null;
    }

    /// <summary>No <c>format()</c> means "try it"; otherwise one of its values must be a loadable format.</summary>
    private static bool Supported(List<CssToken> entry)
    {
        var at = entry.FindIndex(t => t.IsFunction("format"));
        if (at < 0)
        {
            return true;
        }

        for (var k = at + 1; k < entry.Count && entry[k].Type != CssTokenType.CloseParen; k++)
        {
            if (entry[k].Type is CssTokenType.String or CssTokenType.Ident && LoadableFormats.Contains(entry[k].Value))
            {
                return true;
            }
        }

        return false;
    }

    private static readonly HashSet<string> LoadableFormats = new(StringComparer.OrdinalIgnoreCase)
    {
        "woff2", "woff", "truetype", "opentype", "collection", "woff2-variations", "woff-variations",
        "truetype-variations", "opentype-variations",
    };
}
