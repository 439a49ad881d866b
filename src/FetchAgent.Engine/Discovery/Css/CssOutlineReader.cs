namespace FetchAgent.Engine.Discovery.Css;

/// <summary>
/// Reads a stylesheet into its <see cref="CssSheetOutline"/> (CSS Syntax 3 §5 "consume a list of rules", simply):
/// at-rules with a block are followed into when they hold style rules (<c>@media</c> when it matches the screen,
/// <c>@supports</c> taken as supported, <c>@layer</c>, <c>@container</c>, <c>@scope</c>), <c>@font-face</c> is read for
/// its descriptors, every other block is skipped; a qualified rule is a selector and a declaration list.
/// </summary>
internal static class CssOutlineReader
{
    public static CssSheetOutline Read(string css, Uri baseUrl)
    {
        var tokens = CssTokenizer.Tokenize(css, out var source);
        var outline = new CssSheetOutline();
        var i = 0;
        ReadRules(tokens, source, ref i, nested: false, applies: true, baseUrl, outline);
        return outline;
    }

    /// <summary>A <c>style</c> attribute's declarations (CSS Style Attributes §2).</summary>
    public static IReadOnlyList<CssDeclaration> ReadDeclarations(string css)
    {
        var tokens = CssTokenizer.Tokenize(css, out var source);
        return Declarations(tokens, source, 0, tokens.Count);
    }

    private static void ReadRules(List<CssToken> tokens, string source, ref int i, bool nested, bool applies, Uri baseUrl, CssSheetOutline outline)
    {
        var importsAllowed = !nested;
        while (i < tokens.Count)
        {
            var t = tokens[i];
            if (t.Type is CssTokenType.Whitespace or CssTokenType.Cdo or CssTokenType.Cdc or CssTokenType.Semicolon)
            {
                i++;
                continue;
            }

            if (t.Type == CssTokenType.CloseCurly)
            {
                i++;
                if (nested)
                    return;
                continue;
            }

            var preludeStart = i;
            var end = PreludeEnd(tokens, i);
            if (t.Type == CssTokenType.AtKeyword)
            {
                var name = t.Value.ToLowerInvariant();
                var prelude = Text(tokens, source, i + 1, end);
                if (end >= tokens.Count || tokens[end].Type == CssTokenType.Semicolon)
                {
                    if (name == "import" && importsAllowed && Import(tokens, i + 1, end, source, baseUrl) is { } import)
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
                        ReadRules(tokens, source, ref i, nested: true, applies && CssMediaQuery.MatchesScreen(prelude), baseUrl, outline);
                        break;
                    case "supports" or "layer" or "container" or "scope" or "document" or "-moz-document" or "starting-style":
                        ReadRules(tokens, source, ref i, nested: true, applies, baseUrl, outline);
                        break;
                    case "font-face":
                    {
                        var close = BlockEnd(tokens, i);
                        if (applies && CssFontFace.From(Declarations(tokens, source, i, close), baseUrl) is { } face)
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
            if (end >= tokens.Count || tokens[end].Type != CssTokenType.OpenCurly)
            {
                i = end + 1; // a qualified rule without a block is dropped
                continue;
            }

            var selector = Text(tokens, source, preludeStart, end).Trim();
            var blockStart = end + 1;
            var blockEnd = BlockEnd(tokens, blockStart);
            if (applies)
            {
                var declarations = Declarations(tokens, source, blockStart, blockEnd);
                var blockText = Text(tokens, source, blockStart, blockEnd);
                var references = CssDiscovery.Discover(blockText, baseUrl, sheetAppliesToScreen: false, declarationList: true);
                if (declarations.Count > 0 || references.Count > 0)
                    outline.Rules.Add(new CssStyleRule(selector, declarations, references));
            }

            i = blockEnd + 1;
        }
    }

    /// <summary>The index of the <c>;</c> or <c>{</c> that ends a prelude at depth 0 (tokens.Count at EOF).</summary>
    private static int PreludeEnd(List<CssToken> tokens, int i)
    {
        var depth = 0;
        for (; i < tokens.Count; i++)
        {
            var type = tokens[i].Type;
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
    private static int BlockEnd(List<CssToken> tokens, int i)
    {
        var depth = 0;
        for (; i < tokens.Count; i++)
        {
            var type = tokens[i].Type;
            if (type == CssTokenType.OpenCurly)
                depth++;
            else if (type == CssTokenType.CloseCurly && depth-- == 0)
                return i;
        }

        return i;
    }

    private static string Text(List<CssToken> tokens, string source, int from, int to)
    {
        if (from >= to || from >= tokens.Count)
            return "";
        var end = to < tokens.Count ? tokens[to].Start : source.Length;
        return source[tokens[from].Start..end];
    }

    /// <summary>Syntax 3 §5.4.5 "consume a list of declarations": <c>name : value [!important]</c> split at <c>;</c> of depth 0.</summary>
    private static List<CssDeclaration> Declarations(List<CssToken> tokens, string source, int from, int to)
    {
        var declarations = new List<CssDeclaration>();
        var i = from;
        while (i < to)
        {
            var depth = 0;
            var end = i;
            for (; end < to; end++)
            {
                var type = tokens[end].Type;
                if (depth == 0 && type == CssTokenType.Semicolon)
                    break;
                depth += type is CssTokenType.Function or CssTokenType.OpenParen or CssTokenType.OpenSquare or CssTokenType.OpenCurly ? 1
                    : type is CssTokenType.CloseParen or CssTokenType.CloseSquare or CssTokenType.CloseCurly ? -1 : 0;
            }

            var n = i;
            while (n < end && tokens[n].Type == CssTokenType.Whitespace)
                n++;
            var colon = n + 1;
            while (colon < end && tokens[colon].Type == CssTokenType.Whitespace)
                colon++;
            if (n < end && tokens[n].Type == CssTokenType.Ident && colon < end && tokens[colon].Type == CssTokenType.Colon)
            {
                var value = Text(tokens, source, colon + 1, end).Trim();
                var important = false;
                var bang = value.LastIndexOf('!');
                if (bang >= 0 && value[(bang + 1)..].Trim().Equals("important", StringComparison.OrdinalIgnoreCase))
                {
                    important = true;
                    value = value[..bang].TrimEnd();
                }

                declarations.Add(new CssDeclaration(tokens[n].Value.ToLowerInvariant(), value, important));
            }

            i = end + 1;
        }

        return declarations;
    }

    /// <summary>The URL and media of an <c>@import</c> prelude (Cascade 5 §2.1).</summary>
    private static CssImportRule? Import(List<CssToken> tokens, int from, int to, string source, Uri baseUrl)
    {
        var i = from;
        while (i < to && tokens[i].Type == CssTokenType.Whitespace)
            i++;
        if (i >= to)
            return null;
        string? target = null;
        var t = tokens[i];
        if (t.Type is CssTokenType.String or CssTokenType.Url)
        {
            target = t.Value;
            i++;
        }
        else if (t.IsFunction("url"))
        {
            for (i++; i < to && tokens[i].Type != CssTokenType.CloseParen; i++)
            {
                if (tokens[i].Type == CssTokenType.String)
                    target = tokens[i].Value;
            }

            i++;
        }

        if (target is null || ReferenceUrl.Resolve(target, baseUrl) is not { } url)
            return null;

        // Skip layer, layer(…) and supports(…); what is left is the media query list.
        while (i < to)
        {
            var x = tokens[i];
            if (x.Type == CssTokenType.Whitespace || x.IsIdent("layer"))
            {
                i++;
            }
            else if (x.IsFunction("layer") || x.IsFunction("supports"))
            {
                var depth = 0;
                for (; i < to; i++)
                {
                    depth += tokens[i].Type is CssTokenType.Function or CssTokenType.OpenParen ? 1 : tokens[i].Type == CssTokenType.CloseParen ? -1 : 0;
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

        var media = i < to ? Text(tokens, source, i, to) : "";
        return new CssImportRule(url, CssMediaQuery.MatchesScreen(media));
    }
}
