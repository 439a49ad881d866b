
namespace FetchAgent.Engine.Discovery.Css;

/// <summary>
/// The <c>src</c> descriptor of <c>@font-face</c> (CSS Fonts 4 §4.3) is a fallback list: a browser
/// fetches the first entry it can use and nothing after it. <c>local()</c> entries are taken as not
/// installed; an entry whose <c>format()</c> names a format a current browser cannot load is skipped.
/// </summary>
internal static class CssFontFaceSource
{
    /// <summary>
    /// Reads the descriptor value after <c>src:</c>, one comma-separated entry at a time, keeping for each entry
    /// only what decides it (its first two tokens and its <c>format()</c>); leaves the <c>;</c> or <c>}</c> that
    /// ends the descriptor unconsumed.
    /// </summary>
    public static void Scan(ref CssTokenizer tokens, Uri baseUrl, ResourceSet found)
    {
        var entry = new Entry();
        CssTokenRange? chosen = null;
        var depth = 0;
        while (true)
        {
            var ahead = tokens;
            var t = ahead.NextSignificant();
            if (t.Type == CssTokenType.Eof)
            {
                tokens = ahead;
                break;
            }

            if (depth == 0 && t.Type is CssTokenType.Semicolon or CssTokenType.CloseCurly)
            {
                break;
            }

            tokens = ahead;
            depth += t.Type is CssTokenType.Function or CssTokenType.OpenParen ? 1 : t.Type == CssTokenType.CloseParen ? -1 : 0;
            if (depth == 0 && t.Type == CssTokenType.Comma)
            {
                chosen ??= entry.Usable(in tokens);
                entry = new Entry();
            }
            else if (chosen is null)
            {
                entry.Add(t, in tokens);
            }
        }

        chosen ??= entry.Usable(in tokens);
        if (chosen is { } url)
        {
            CssReferenceScanner.AddReference(tokens.Value(url), baseUrl, inFontFace: true, found);
        }
    }

    /// <summary>What one entry of the list has shown so far.</summary>
    private struct Entry
    {
        private int _count;
        private CssTokenRange _first;
        private CssTokenRange _second;
        private FormatState _format;

        private enum FormatState : byte
        {
            None, // no format() yet: the entry is "try it"
            Reading, // inside the first format(), up to the first )
            Unsupported, // that format() named nothing loadable
            Supported,
        }

        public void Add(CssTokenRange t, in CssTokenizer tokens)
        {
            _count++;
            if (_count == 1)
            {
                _first = t;
            }
            else if (_count == 2)
            {
                _second = t;
            }

            switch (_format)
            {
                case FormatState.None when t.Type == CssTokenType.Function && tokens.ValueEquals(t, "format"):
                    _format = FormatState.Reading;
                    break;
                case FormatState.Reading when t.Type == CssTokenType.CloseParen:
                    _format = FormatState.Unsupported;
                    break;
                case FormatState.Reading when t.Type is CssTokenType.String or CssTokenType.Ident && IsLoadable(t, tokens):
                    _format = FormatState.Supported;
                    break;
            }
        }

        /// <summary>The token holding the entry's URL if the entry is one a browser would fetch; otherwise null.</summary>
        public readonly CssTokenRange? Usable(in CssTokenizer tokens)
        {
            if (_format is FormatState.Reading or FormatState.Unsupported)
            {
                return null; // format() named no format a browser can load
            }

            if (_count == 0)
            {
                return null;
            }

            if (_first.Type == CssTokenType.Url)
            {
                return _first;
            }

            return _count > 1 && _first.Type == CssTokenType.Function && (tokens.ValueEquals(_first, "url") || tokens.ValueEquals(_first, "src")) &&
                   _second.Type == CssTokenType.String
                ? _second
                : null;
        }
    }

    private static bool IsLoadable(in CssTokenRange t, in CssTokenizer tokens)
    {
        foreach (var format in LoadableFormats)
        {
            if (tokens.ValueEquals(t, format))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Formats a current browser loads (compared ASCII case-insensitively).</summary>
    private static readonly string[] LoadableFormats =
    [
        "woff2", "woff", "truetype", "opentype", "collection", "woff2-variations", "woff-variations",
        "truetype-variations", "opentype-variations",
    ];
}
