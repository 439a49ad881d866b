using System.Text.RegularExpressions;
using AngleSharp.Css.Dom;
using AngleSharp.Css.Parser;

namespace FetchAgent.Engine.Discovery.Css;

/// <summary>Which box of the element a selector styles.</summary>
internal enum CssPseudoElement : byte
{
    None,
    Before,
    After,
    FirstLineOrLetter,
}

/// <summary>
/// One complex selector of a rule's selector list, ready to match elements of a document that does not change: the
/// pseudo-element at its end is taken off (the element is matched, the box is said apart), and a selector that
/// needs a state the loaded page is not in (<c>:hover</c>, <c>:focus</c>, <c>:active</c>, <c>:visited</c>,
/// <c>:target</c>, …) matches nothing, as Chromium computes no style for it until that state comes. AngleSharp's
/// selector engine does the matching; a selector it cannot read matches nothing (a browser drops such a rule too).
/// </summary>
internal sealed partial class CssSelectorMatch
{
    private readonly ISelector _selector;

    private CssSelectorMatch(ISelector selector, CssPseudoElement pseudo, (char Kind, string Name)? key)
    {
        _selector = selector;
        Pseudo = pseudo;
        Key = key;
    }

    public CssPseudoElement Pseudo { get; }

    /// <summary>
    /// What the subject (the last compound) of the selector requires of an element, read outside every bracket and
    /// parenthesis: an id (<c>'#'</c>), else a class (<c>'.'</c>), else a tag name (<c>'t'</c>); null when it requires
    /// none of them or the text is escaped (then every element is a candidate). See <see cref="CssElementIndex"/>.
    /// </summary>
    public (char Kind, string Name)? Key { get; }

    /// <summary>Specificity (Selectors 4 §17), as AngleSharp counts it.</summary>
    public AngleSharp.Css.Priority Specificity => _selector.Specificity;

    public bool Matches(AngleSharp.Dom.IElement element) => _selector.Match(element, null);

    /// <summary>Each selector of a selector list that can match in a page at rest; the rest are left out.</summary>
    public static List<CssSelectorMatch> List(string selectorList)
    {
        var matches = new List<CssSelectorMatch>();
        foreach (var complex in SplitList(selectorList))
        {
            if (From(complex) is { } match)
                matches.Add(match);
        }

        return matches;
    }

    private static CssSelectorMatch? From(string complex)
    {
        var text = complex.Trim();
        if (text.Length == 0 || StatePseudoClass().IsMatch(text))
            return null;
        var pseudo = CssPseudoElement.None;
        if (TrailingPseudoElement().Match(text) is { Success: true } m)
        {
            var name = m.Groups["name"].Value.ToLowerInvariant();
            pseudo = name switch
            {
                "before" => CssPseudoElement.Before,
                "after" => CssPseudoElement.After,
                "first-line" or "first-letter" => CssPseudoElement.FirstLineOrLetter,
                _ => (CssPseudoElement)255,
            };
            if (pseudo == (CssPseudoElement)255)
                return null; // ::marker, ::placeholder, ::selection, ::-webkit-scrollbar…: boxes a page at rest may not have
            text = text[..m.Index].TrimEnd();
            if (text.Length == 0 || text[^1] is '>' or '+' or '~')
                text += "*";
        }

        if (text.Contains("::", StringComparison.Ordinal))
            return null;
        ISelector? selector;
        try
        {
            selector = Parser.ParseSelector(text);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            selector = null;
        }

        return selector is null ? null : new CssSelectorMatch(selector, pseudo, SubjectKey(text));
    }

    /// <summary>The key of the selector's last compound (Selectors 4 §16: its subject), or null.</summary>
    private static (char Kind, string Name)? SubjectKey(string complex)
    {
        if (complex.Contains('\\') || complex.Contains('"') || complex.Contains('\''))
            return null;
        // The last compound: after the last combinator (white space, >, +, ~) of depth 0.
        var depth = 0;
        var start = 0;
        for (var i = 0; i < complex.Length; i++)
        {
            switch (complex[i])
            {
                case '(' or '[':
                    depth++;
                    break;
                case ')' or ']':
                    depth--;
                    break;
                case ' ' or '\t' or '\n' or '\r' or '\f' or '>' or '+' or '~' when depth == 0:
                    start = i + 1;
                    break;
            }
        }

        var compound = complex[start..];
        string? id = null, className = null;
        depth = 0;
        for (var i = 0; i < compound.Length; i++)
        {
            var c = compound[i];
            if (c is '(' or '[')
                depth++;
            else if (c is ')' or ']')
                depth--;
            else if (depth == 0 && c is '#' or '.')
            {
                var name = Identifier(compound, i + 1);
                if (name.Length > 0 && c == '#')
                    id ??= name;
                else if (name.Length > 0)
                    className ??= name;
                i += name.Length;
            }
        }

        if (id is not null)
            return ('#', id);
        if (className is not null)
            return ('.', className);
        var tag = Identifier(compound, 0);
        return tag.Length > 0 && (tag.Length == compound.Length || compound[tag.Length] != '|') ? ('t', tag) : null;
    }

    private static string Identifier(string text, int from)
    {
        var end = from;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] is '-' or '_' || text[end] > 127))
            end++;
        return text[from..end];
    }

    /// <summary>Splits a selector list at its commas of depth 0.</summary>
    private static IEnumerable<string> SplitList(string list)
    {
        var depth = 0;
        var start = 0;
        var quote = '\0';
        for (var i = 0; i < list.Length; i++)
        {
            var c = list[i];
            if (quote != '\0')
            {
                if (c == '\\')
                    i++;
                else if (c == quote)
                    quote = '\0';
                continue;
            }

            switch (c)
            {
                case '"' or '\'':
                    quote = c;
                    break;
                case '\\':
                    i++;
                    break;
                case '(' or '[':
                    depth++;
                    break;
                case ')' or ']':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return list[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return list[start..];
    }

    private static readonly CssSelectorParser Parser = new();

    [GeneratedRegex(@"(?<!:):(hover|active|focus|focus-within|focus-visible|visited|target|target-within|user-invalid|user-valid|drop|current|past|future|playing|paused|fullscreen|picture-in-picture|popover-open|modal|-webkit-[a-z-]+|-moz-[a-z-]+|-ms-[a-z-]+)(?![a-z-])", RegexOptions.IgnoreCase)]
    private static partial Regex StatePseudoClass();

    [GeneratedRegex(@"(?:::?(?<name>before|after|first-line|first-letter)|::(?<name>[a-z-]+(?:\([^)]*\))?))\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex TrailingPseudoElement();
}
