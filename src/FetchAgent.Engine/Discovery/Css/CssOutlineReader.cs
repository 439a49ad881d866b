namespace FetchAgent.Engine.Discovery.Css;

/// <summary>
/// Reads a stylesheet into its <see cref="CssSheetOutline"/> (CSS Syntax 3 §5 "consume a list of rules", simply):
/// at-rules with a block are followed into when they hold style rules (<c>@media</c> when it matches the screen,
/// <c>@supports</c> taken as supported, <c>@layer</c>, <c>@container</c>, <c>@scope</c>), <c>@font-face</c> is read for
/// its descriptors, every other block is skipped; a qualified rule is a selector and a declaration list. Of a style
/// rule only what the style pass reads is kept: the declarations of the font cascade (<see cref="CssComputedFont.Reads(CssTokenList, int)"/>)
/// and the URLs its values name; a rule with neither is left out, so a sheet of ordinary rules costs its tokens and
/// little else.
/// </summary>
internal static class CssOutlineReader
{
    public static CssSheetOutline Read(string css, Uri baseUrl)
    {
        using var tokens = CssTokenList.Tokenize(css);
        var outline = new CssSheetOutline();
        var i = 0;
        ReadRules(tokens, ref i, nested: false, applies: true, baseUrl, outline);
        return outline;
    }

    /// <summary>A <c>style</c> attribute's declarations (CSS Style Attributes §2), every one.</summary>
    public static IReadOnlyList<CssDeclaration> ReadDeclarations(string css)
    {
        using var tokens = CssTokenList.Tokenize(css);
        return Declarations(tokens, 0, tokens.Count, fontCascadeOnly: false);
    }

    private static void ReadRules(CssTokenList tokens, ref int i, bool nested, bool applies, Uri baseUrl, CssSheetOutline outline)
    {
        var importsAllowed = !nested;
        while (i < tokens.Count)
        {
            var type = tokens.Type(i);
            if (type is CssTokenType.Whitespace or CssTokenType.Cdo or CssTokenType.Cdc or CssTokenType.Semicolon)
            {
                i++;
                continue;
            }

            if (type == CssTokenType.CloseCurly)
            {
                i++;
                if (nested)
                    return;
                continue;
            }

            var preludeStart = i;
            var end = PreludeEnd(tokens, i);
            if (type == CssTokenType.AtKeyword)
            {
                var name = tokens.Value(i).ToLowerInvariant();
                if (end >= tokens.Count || tokens.Type(end) == CssTokenType.Semicolon)
                {
                    if (name == "import" && importsAllowed && Import(tokens, i + 1, end, baseUrl) is { } import)
                        outline.Imports.Add(import with { AppliesToScreen = applies && import.AppliesToScreen });
                    else if (name is not ("charset" or "layer" or "import"))
                        importsAllowed = false;
                    i = end + 1;
                    continue;
                }

                importsAllowed = false;
                i = end + 1; // past the {
                switch (name)
                {
                    case "media":
                        var matches = applies && CssMediaQuery.MatchesScreen(tokens.Text(preludeStart + 1, end));
                        ReadRules(tokens, ref i, nested: true, matches, baseUrl, outline);
                        break;
                    case "supports" or "layer" or "container" or "scope" or "document" or "-moz-document" or "starting-style":
                        ReadRules(tokens, ref i, nested: true, applies, baseUrl, outline);
                        break;
                    case "font-face":
                    {
                        var close = BlockEnd(tokens, i);
                        if (applies && CssFontFace.From(Declarations(tokens, i, close, fontCascadeOnly: false), baseUrl) is { } face)
                            outline.FontFaces.Add(face);
                        i = close + 1;
                        break;
                    }

                    default:
                        i = BlockEnd(tokens, i) + 1;
                        break;
                }

                continue;
            }

            importsAllowed = false;
            if (end >= tokens.Count || tokens.Type(end) != CssTokenType.OpenCurly)
            {
                i = end + 1; // a qualified rule without a block is dropped
                continue;
            }

            var blockStart = end + 1;
            var blockEnd = BlockEnd(tokens, blockStart);
            if (applies)
            {
                var declarations = Declarations(tokens, blockStart, blockEnd, fontCascadeOnly: true);
                // A URL is a url token or a string (url("…"), image-set("…" 1x), src("…")); a block without either names none.
                IReadOnlyList<DiscoveredResource> references = NamesUrl(tokens, blockStart, blockEnd)
                    ? CssDiscovery.Discover(tokens.Text(blockStart, blockEnd), baseUrl, sheetAppliesToScreen: false, declarationList: true)
                    : [];
                if (declarations.Count > 0 || references.Count > 0)
                    outline.Rules.Add(new CssStyleRule(tokens.Text(preludeStart, end).Trim(), declarations, references));
            }

            i = blockEnd + 1;
        }
    }

    /// <summary>The index of the <c>;</c> or <c>{</c> that ends a prelude at depth 0 (tokens.Count at EOF).</summary>
    private static int PreludeEnd(CssTokenList tokens, int i)
    {
        var depth = 0;
        for (; i < tokens.Count; i++)
        {
            var type = tokens.Type(i);
            if (depth == 0 && type is CssTokenType.Semicolon or CssTokenType.OpenCurly)
                return i;
            if (depth == 0 && type == CssTokenType.CloseCurly)
                return i; // a stray }: let the caller end the block there
            depth += type is CssTokenType.Function or CssTokenType.OpenParen or CssTokenType.OpenSquare ? 1
                : type is CssTokenType.CloseParen or CssTokenType.CloseSquare ? -1 : 0;
            depth = Math.Max(depth, 0);
        }

        return i;
    }

    /// <summary>The index of the <c>}</c> that closes the block whose content starts at <paramref name="i"/> (tokens.Count at EOF).</summary>
    private static int BlockEnd(CssTokenList tokens, int i)
    {
        var depth = 0;
        for (; i < tokens.Count; i++)
        {
            var type = tokens.Type(i);
            if (type == CssTokenType.OpenCurly)
                depth++;
            else if (type == CssTokenType.CloseCurly && depth-- == 0)
                return i;
        }

        return i;
    }

    /// <summary>Does the block hold a url token or a string, the only tokens a URL can come from?</summary>
    private static bool NamesUrl(CssTokenList tokens, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            if (tokens.Type(i) is CssTokenType.Url or CssTokenType.String)
                return true;
        }

        return false;
    }

    /// <summary>
    /// Syntax 3 §5.4.5 "consume a list of declarations": <c>name : value [!important]</c> split at <c>;</c> of depth 0;
    /// with <paramref name="fontCascadeOnly"/>, only those the font cascade reads
    /// (<see cref="CssComputedFont.Reads(CssTokenList, int)"/>), and no string is made for the others.
    /// </summary>
    private static IReadOnlyList<CssDeclaration> Declarations(CssTokenList tokens, int from, int to, bool fontCascadeOnly)
    {
        List<CssDeclaration>? declarations = null;
        var i = from;
        while (i < to)
        {
            var depth = 0;
            var end = i;
            for (; end < to; end++)
            {
                var type = tokens.Type(end);
                if (depth == 0 && type == CssTokenType.Semicolon)
                    break;
                depth += type is CssTokenType.Function or CssTokenType.OpenParen or CssTokenType.OpenSquare or CssTokenType.OpenCurly ? 1
                    : type is CssTokenType.CloseParen or CssTokenType.CloseSquare or CssTokenType.CloseCurly ? -1 : 0;
            }

            var n = i;
            while (n < end && tokens.Type(n) == CssTokenType.Whitespace)
                n++;
            var colon = n + 1;
            while (colon < end && tokens.Type(colon) == CssTokenType.Whitespace)
                colon++;
            if (n < end && tokens.Type(n) == CssTokenType.Ident && colon < end && tokens.Type(colon) == CssTokenType.Colon &&
                (!fontCascadeOnly || CssComputedFont.Reads(tokens, n)))
            {
                var value = tokens.Text(colon + 1, end).Trim();
                var important = false;
                var bang = value.LastIndexOf('!');
                if (bang >= 0 && value[(bang + 1)..].Trim().Equals("important", StringComparison.OrdinalIgnoreCase))
                {
                    important = true;
                    value = value[..bang].TrimEnd();
                }

                (declarations ??= []).Add(new CssDeclaration(tokens.Value(n).ToLowerInvariant(), value, important));
            }

            i = end + 1;
        }

        return declarations ?? (IReadOnlyList<CssDeclaration>)[];
    }

    /// <summary>The URL and media of an <c>@import</c> prelude (Cascade 5 §2.1).</summary>
    private static CssImportRule? Import(CssTokenList tokens, int from, int to, Uri baseUrl)
    {
        var i = from;
        while (i < to && tokens.Type(i) == CssTokenType.Whitespace)
            i++;
        if (i >= to)
            return null;
        string? target = null;
        if (tokens.Type(i) is CssTokenType.String or CssTokenType.Url)
        {
            target = tokens.Value(i);
            i++;
        }
        else if (tokens.IsFunction(i, "url"))
        {
            for (i++; i < to && tokens.Type(i) != CssTokenType.CloseParen; i++)
            {
                if (tokens.Type(i) == CssTokenType.String)
                    target = tokens.Value(i);
            }

            i++;
        }

        if (target is null || ReferenceUrl.Resolve(target, baseUrl) is not { } url)
            return null;

        // Skip layer, layer(…) and supports(…); what is left is the media query list.
        while (i < to)
        {
            if (tokens.Type(i) == CssTokenType.Whitespace || tokens.IsIdent(i, "layer"))
            {
                i++;
            }
            else if (tokens.IsFunction(i, "layer") || tokens.IsFunction(i, "supports"))
            {
                var depth = 0;
                for (; i < to; i++)
                {
                    var type = tokens.Type(i);
                    depth += type is CssTokenType.Function or CssTokenType.OpenParen ? 1 : type == CssTokenType.CloseParen ? -1 : 0;
                    if (depth == 0)
                        break;
                }

                i++;
            }
            else
            {
                break;
            }
        }

        var media = i < to ? tokens.Text(i, to) : "";
        return new CssImportRule(url, CssMediaQuery.MatchesScreen(media));
    }
}
