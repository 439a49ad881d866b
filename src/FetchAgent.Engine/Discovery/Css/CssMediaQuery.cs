using System.Globalization;

namespace FetchAgent.Engine.Discovery.Css;

/// <summary>
/// Answers "does this media query list match the screen?" for <see cref="CssViewport"/>, as
/// Media Queries Level 4 defines it, simply: the list matches when any query does (§2.1);
/// unknown media types never match (§2.3); a feature the evaluator does not know is taken as
/// matching, so an unknown query errs toward "render-blocking" rather than hiding a blocker.
/// </summary>
internal static class CssMediaQuery
{
    /// <summary>True when the media query list (an HTML <c>media</c> attribute, an <c>@import</c> tail) applies to the screen.</summary>
    public static bool MatchesScreen(string? mediaQueryList)
    {
        if (string.IsNullOrWhiteSpace(mediaQueryList))
        {
            return true; // HTML §2.4.9: a missing or empty media attribute matches all
        }

        var tokens = CssTokenizer.Tokenize(mediaQueryList, out var source);
        var queries = new List<List<CssToken>> { new() };
        var depth = 0;
        foreach (var t in tokens)
        {
            depth += t.Type is CssTokenType.OpenParen or CssTokenType.Function ? 1 : t.Type == CssTokenType.CloseParen ? -1 : 0;
            if (t.Type == CssTokenType.Comma && depth == 0)
            {
                queries.Add([]);
            }
            else if (t.Type != CssTokenType.Whitespace)
            {
                queries[^1].Add(t);
            }
        }

        return queries.Any(q => MatchesQuery(q, source));
    }

    /// <summary>A media condition alone, as in a <c>sizes</c> entry (HTML §4.8.4.3.10).</summary>
    public static bool MatchesCondition(string condition) => MatchesScreen(condition);

    private static bool MatchesQuery(List<CssToken> q, string source)
    {
        if (q.Count == 0)
        {
            return false; // an empty entry between commas is "not all"
        }

        var reader = new Reader(q, source);
        try
        {
            var negate = false;
            if (reader.Peek.Type == CssTokenType.Ident && !reader.PeekIs(CssTokenType.OpenParen, 1))
            {
                if (reader.Peek.IsIdent("not"))
                {
                    negate = true;
                    reader.Skip();
                }
                else if (reader.Peek.IsIdent("only"))
                {
                    reader.Skip();
                }
            }

            bool result;
            if (reader.Peek.Type == CssTokenType.Ident)
            {
                result = reader.Take().Value.ToLowerInvariant() is "all" or "screen";
                if (reader.Peek.IsIdent("and"))
                {
                    reader.Skip();
                    result &= Condition(reader);
                }
            }
            else
            {
                result = Condition(reader);
            }

            return reader.AtEnd ? result != negate : Unknown;
        }
        catch (FormatException)
        {
            return Unknown;
        }
    }

    /// <summary>What a query the evaluator cannot read counts as (see the type comment).</summary>
    private const bool Unknown = true;

    private static bool Condition(Reader r)
    {
        if (r.Peek.IsIdent("not"))
        {
            r.Skip();
            return !InParens(r);
        }

        var result = InParens(r);
        while (r.Peek.IsIdent("and") || r.Peek.IsIdent("or"))
        {
            var isAnd = r.Take().IsIdent("and");
            var next = InParens(r);
            result = isAnd ? result && next : result || next;
        }

        return result;
    }

    private static bool InParens(Reader r)
    {
        if (r.Peek.Type != CssTokenType.OpenParen)
        {
            throw new FormatException();
        }

        r.Skip();
        bool result;
        if (r.Peek.Type == CssTokenType.OpenParen || r.Peek.IsIdent("not"))
        {
            result = Condition(r);
        }
        else
        {
            var inner = new List<CssToken>();
            var depth = 0;
            while (!(r.Peek.Type == CssTokenType.CloseParen && depth == 0))
            {
                var t = r.Take();
                depth += t.Type is CssTokenType.OpenParen or CssTokenType.Function ? 1 : t.Type == CssTokenType.CloseParen ? -1 : 0;
                inner.Add(t);
            }

            result = CssMediaFeature.Evaluate(inner, r.Source) ?? Unknown;
        }

        if (r.Take().Type != CssTokenType.CloseParen)
        {
            throw new FormatException();
        }

        return result;
    }

    private sealed class Reader(List<CssToken> tokens, string source)
    {
        private int _i;

        public string Source => source;

        public bool AtEnd => _i >= tokens.Count;

        public CssToken Peek => _i < tokens.Count ? tokens[_i] : new CssToken(CssTokenType.Eof, "", 0, 0);

        public bool PeekIs(CssTokenType type, int ahead) => _i + ahead < tokens.Count && tokens[_i + ahead].Type == type;

        public CssToken Take() => _i < tokens.Count ? tokens[_i++] : throw new FormatException();

        public void Skip() => _i++;
    }

    /// <summary>The numeric value of a number, percentage or dimension token.</summary>
    internal static double NumberOf(CssToken t, string source)
    {
        var text = source[t.Start..t.End];
        if (t.Type == CssTokenType.Dimension)
        {
            text = text[..^t.Value.Length];
        }
        else if (t.Type == CssTokenType.Percentage)
        {
            text = text[..^1];
        }

        return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
