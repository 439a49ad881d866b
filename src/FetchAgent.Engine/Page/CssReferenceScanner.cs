using FetchAgent.Engine.Timeline;

namespace FetchAgent.Engine.Page;

/// <summary>
/// Walks the token stream of a stylesheet and records what a browser would fetch for it:
/// <c>@import</c> targets (CSS Cascade 5 §2.1), <c>url()</c>/<c>src()</c> values (CSS Values 4 §4.5),
/// and the strings of <c>image-set()</c> (CSS Images 4 §2.2).
/// </summary>
internal static class CssReferenceScanner
{
    public static void Scan(string cssText, Uri baseUrl, bool sheetAppliesToScreen, HtmlResourceSet found, bool importsAllowed = true)
    {
        var tokens = CssTokenizer.Tokenize(cssText, out var source);
        tokens.RemoveAll(t => t.Type == CssTokenType.Whitespace);

        var blocks = new Stack<bool>(); // per open {}: inside @font-face?
        var functions = new Stack<string>(); // names of open functions; "" for a plain (
        string? pendingAtRule = null; // the at-rule whose prelude is being read, at this depth

        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            var inFontFace = blocks.Count > 0 && blocks.Peek();
            switch (t.Type)
            {
                case CssTokenType.AtKeyword:
                    var name = t.Value.ToLowerInvariant();
                    if (name == "import" && blocks.Count == 0 && functions.Count == 0)
                    {
                        i = ScanImport(tokens, i + 1, source, baseUrl, importsAllowed && sheetAppliesToScreen, importsAllowed, found);
                        continue;
                    }

                    if (name == "namespace")
                    {
                        // @namespace url(…) names a namespace; nothing is fetched (CSS Namespaces 3 §2).
                        while (i + 1 < tokens.Count && tokens[i + 1].Type is not (CssTokenType.Semicolon or CssTokenType.OpenCurly))
                        {
                            i++;
                        }
                    }

                    // Cascade 5 §2.1: @import must precede every rule except @charset and @layer statements.
                    if (blocks.Count == 0 && name is not ("charset" or "layer"))
                    {
                        importsAllowed = false;
                    }

                    pendingAtRule = name;
                    break;
                case CssTokenType.OpenCurly:
                    if (blocks.Count == 0)
                    {
                        importsAllowed = false;
                    }

                    blocks.Push(inFontFace || pendingAtRule == "font-face");
                    pendingAtRule = null;
                    break;
                case CssTokenType.CloseCurly:
                    if (blocks.Count > 0)
                    {
                        blocks.Pop();
                    }

                    pendingAtRule = null;
                    break;
                case CssTokenType.Semicolon:
                    pendingAtRule = null;
                    break;
                case CssTokenType.Ident when inFontFace && functions.Count == 0 && t.IsIdent("src") &&
                                             i + 1 < tokens.Count && tokens[i + 1].Type == CssTokenType.Colon:
                    i = CssFontFaceSource.Scan(tokens, i + 2, baseUrl, found);
                    continue;
                case CssTokenType.Ident when blocks.Count == 0 && pendingAtRule is null:
                    importsAllowed = false; // the prelude of a style rule
                    break;
                case CssTokenType.Url:
                    AddReference(t.Value, baseUrl, inFontFace, found);
                    break;
                case CssTokenType.Function:
                    var fn = t.Value.ToLowerInvariant();
                    if (fn is "url" or "src" && i + 1 < tokens.Count && tokens[i + 1].Type == CssTokenType.String)
                    {
                        AddReference(tokens[i + 1].Value, baseUrl, inFontFace, found);
                    }

                    functions.Push(fn);
                    break;
                case CssTokenType.OpenParen or CssTokenType.OpenSquare:
                    functions.Push("");
                    break;
                case CssTokenType.CloseParen or CssTokenType.CloseSquare:
                    if (functions.Count > 0)
                    {
                        functions.Pop();
                    }

                    break;
                case CssTokenType.String when functions.Count > 0 && functions.Peek() is "image-set" or "-webkit-image-set":
                    // A bare string inside image-set() is a URL (CSS Images 4 §2.2).
                    AddReference(t.Value, baseUrl, inFontFace, found);
                    break;
            }

            if (t.Type == CssTokenType.CloseCurly && functions.Count > 0)
            {
                functions.Clear(); // a } ends any unclosed function of a malformed declaration
            }
        }
    }

    /// <summary>
    /// <c>@import [ &lt;url&gt; | &lt;string&gt; ] [layer | layer(…)]? [supports(…)]? &lt;media-query-list&gt;? ;</c>.
    /// Returns the index of the token that ends the rule.
    /// </summary>
    private static int ScanImport(List<CssToken> tokens, int i, string source, Uri baseUrl, bool canBlock, bool allowed, HtmlResourceSet found)
    {
        string? target = null;
        if (i < tokens.Count && tokens[i].Type is CssTokenType.String or CssTokenType.Url)
        {
            target = tokens[i].Value;
            i++;
        }
        else if (i + 2 < tokens.Count && tokens[i].IsFunction("url") && tokens[i + 1].Type == CssTokenType.String &&
                 tokens[i + 2].Type == CssTokenType.CloseParen)
        {
            target = tokens[i + 1].Value;
            i += 3;
        }

        // Skip the optional layer and supports() parts; what remains up to ";" is the media query list.
        if (i < tokens.Count && tokens[i].IsIdent("layer"))
        {
            i++;
        }

        while (i < tokens.Count && (tokens[i].IsFunction("layer") || tokens[i].IsFunction("supports")))
        {
            i = SkipFunction(tokens, i);
        }

        var mediaStart = i < tokens.Count ? tokens[i].Start : source.Length;
        while (i < tokens.Count && tokens[i].Type is not (CssTokenType.Semicolon or CssTokenType.OpenCurly))
        {
            i++;
        }

        if (i < tokens.Count && tokens[i].Type == CssTokenType.OpenCurly)
        {
            target = null; // an @import with a block is invalid; the block is then skipped by the caller
            i--;
        }

        var mediaEnd = i < tokens.Count ? tokens[i].Start : source.Length;
        if (allowed && target is not null)
        {
            var media = source[mediaStart..Math.Max(mediaStart, mediaEnd)];
            found.Add(HtmlUrl.Resolve(target, baseUrl), ResourceKind.Stylesheet, renderBlocking: canBlock && CssMediaQuery.MatchesScreen(media));
        }

        return i;
    }

    private static int SkipFunction(List<CssToken> tokens, int i)
    {
        var depth = 0;
        for (; i < tokens.Count; i++)
        {
            depth += tokens[i].Type is CssTokenType.Function or CssTokenType.OpenParen ? 1 : tokens[i].Type == CssTokenType.CloseParen ? -1 : 0;
            if (depth == 0)
            {
                return i + 1;
            }
        }

        return i;
    }

    internal static void AddReference(string value, Uri baseUrl, bool inFontFace, HtmlResourceSet found)
    {
        var url = HtmlUrl.Resolve(value, baseUrl);
        if (url is null)
        {
            return;
        }

        var kind = inFontFace || HasExtension(url, FontExtensions) ? ResourceKind.Font : ResourceKind.Image;
        found.Add(url, kind);
    }

    internal static readonly string[] FontExtensions = [".woff", ".woff2", ".ttf", ".otf", ".eot"];

    internal static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".ico", ".bmp"];

    internal static bool HasExtension(Uri url, string[] extensions) =>
        extensions.Any(e => url.AbsolutePath.EndsWith(e, StringComparison.OrdinalIgnoreCase));
}
