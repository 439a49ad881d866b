using FetchAgent.Engine.Model;


namespace FetchAgent.Engine.Discovery.Css;

/// <summary>
/// Walks the token stream of a stylesheet and records what a browser would fetch for it:
/// <c>@import</c> targets (CSS Cascade 5 §2.1), <c>url()</c>/<c>src()</c> values (CSS Values 4 §4.5),
/// and the strings of <c>image-set()</c> (CSS Images 4 §2.2).
/// </summary>
internal static class CssReferenceScanner
{
    /// <summary>What the at-rule whose prelude is being read is, as far as discovery cares.</summary>
    private enum PendingAtRule : byte
    {
        None,
        FontFace,
        Other,
    }

    /// <summary>
    /// Scans preprocessed text (CSS Syntax 3 §3.3) as one stream of tokens, whitespace dropped; it materialises
    /// a string only for a URL it records (and the media query list of an <c>@import</c> that may block).
    /// </summary>
    /// <param name="importsOnly">
    /// Only the <c>@import</c>s: the scan ends where imports stop being allowed (Cascade 5 §2.1: at the first rule that
    /// is not <c>@charset</c>, <c>@layer</c> or <c>@import</c>), since none after it counts.
    /// </param>
    public static void Scan(ReadOnlySpan<char> source, Uri baseUrl, bool sheetAppliesToScreen, ResourceSet found, bool importsAllowed = true, bool importsOnly = false)
    {
        var tokens = new CssTokenizer(source);
        var blocks = new Stack<bool>(); // per open {}: inside @font-face?
        var functions = new Stack<bool>(); // per open function, ( or [: is it image-set()?
        var pendingAtRule = PendingAtRule.None; // the at-rule whose prelude is being read, at this depth

        for (var t = tokens.NextSignificant(); t.Type != CssTokenType.Eof; t = tokens.NextSignificant())
        {
            var inFontFace = blocks.Count > 0 && blocks.Peek();
            switch (t.Type)
            {
                case CssTokenType.AtKeyword:
                    if (blocks.Count == 0 && functions.Count == 0 && tokens.ValueEqualsLowered(t, "import"))
                    {
                        ScanImport(ref tokens, baseUrl, importsAllowed && sheetAppliesToScreen, importsAllowed, found);
                        continue;
                    }

                    if (tokens.ValueEqualsLowered(t, "namespace"))
                    {
                        // @namespace url(…) names a namespace; nothing is fetched (CSS Namespaces 3 §2).
                        SkipUntil(ref tokens, CssTokenType.Semicolon, CssTokenType.OpenCurly);
                    }

                    // Cascade 5 §2.1: @import must precede every rule except @charset and @layer statements.
                    if (blocks.Count == 0 && !tokens.ValueEqualsLowered(t, "charset") && !tokens.ValueEqualsLowered(t, "layer"))
                    {
                        importsAllowed = false;
                    }

                    pendingAtRule = tokens.ValueEqualsLowered(t, "font-face") ? PendingAtRule.FontFace : PendingAtRule.Other;
                    break;
                case CssTokenType.OpenCurly:
                    if (blocks.Count == 0)
                    {
                        importsAllowed = false;
                    }

                    blocks.Push(inFontFace || pendingAtRule == PendingAtRule.FontFace);
                    pendingAtRule = PendingAtRule.None;
                    break;
                case CssTokenType.CloseCurly:
                    if (blocks.Count > 0)
                    {
                        blocks.Pop();
                    }

                    pendingAtRule = PendingAtRule.None;
                    break;
                case CssTokenType.Semicolon:
                    pendingAtRule = PendingAtRule.None;
                    break;
                case CssTokenType.Ident when inFontFace && functions.Count == 0 && tokens.ValueEquals(t, "src") && NextIs(ref tokens, CssTokenType.Colon):
                    // Fonts 4 §4.3: the src descriptor; the colon is consumed, the ; or } that ends it is left to this loop.
                    CssFontFaceSource.Scan(ref tokens, baseUrl, found);
                    continue;
                case CssTokenType.Ident when blocks.Count == 0 && pendingAtRule == PendingAtRule.None:
                    importsAllowed = false; // the prelude of a style rule
                    break;
                case CssTokenType.Url:
                    AddReference(tokens.Value(t), baseUrl, inFontFace, found);
                    break;
                case CssTokenType.Function:
                    if (tokens.ValueEqualsLowered(t, "url") || tokens.ValueEqualsLowered(t, "src"))
                    {
                        // url("…") / src("…"): the string is the URL (Values 4 §4.5). Peek at it on a copy: the loop still reads it.
                        var ahead = tokens;
                        var argument = ahead.NextSignificant();
                        if (argument.Type == CssTokenType.String)
                        {
                            AddReference(tokens.Value(argument), baseUrl, inFontFace, found);
                        }
                    }

                    functions.Push(tokens.ValueEqualsLowered(t, "image-set") || tokens.ValueEqualsLowered(t, "-webkit-image-set"));
                    break;
                case CssTokenType.OpenParen or CssTokenType.OpenSquare:
                    functions.Push(false);
                    break;
                case CssTokenType.CloseParen or CssTokenType.CloseSquare:
                    if (functions.Count > 0)
                    {
                        functions.Pop();
                    }

                    break;
                case CssTokenType.String when functions.Count > 0 && functions.Peek():
                    // A bare string inside image-set() is a URL (CSS Images 4 §2.2).
                    AddReference(tokens.Value(t), baseUrl, inFontFace, found);
                    break;
            }

            if (t.Type == CssTokenType.CloseCurly && functions.Count > 0)
            {
                functions.Clear(); // a } ends any unclosed function of a malformed declaration
            }

            if (importsOnly && !importsAllowed)
            {
                return;
            }
        }
    }

    /// <summary>Consumes the next significant token if it is of type <paramref name="type"/>; otherwise consumes nothing.</summary>
    private static bool NextIs(ref CssTokenizer tokens, CssTokenType type)
    {
        var ahead = tokens;
        if (ahead.NextSignificant().Type != type)
        {
            return false;
        }

        tokens = ahead;
        return true;
    }

    /// <summary>Consumes tokens up to, not including, the next <paramref name="a"/> or <paramref name="b"/> (or EOF).</summary>
    private static void SkipUntil(ref CssTokenizer tokens, CssTokenType a, CssTokenType b)
    {
        while (true)
        {
            var ahead = tokens;
            var t = ahead.NextSignificant();
            if (t.Type == CssTokenType.Eof || t.Type == a || t.Type == b)
            {
                return;
            }

            tokens = ahead;
        }
    }

    /// <summary>
    /// <c>@import [ &lt;url&gt; | &lt;string&gt; ] [layer | layer(…)]? [supports(…)]? &lt;media-query-list&gt;? ;</c>.
    /// Consumes the rule through its <c>;</c>; a <c>{</c> (an invalid @import with a block) is left unconsumed.
    /// </summary>
    private static void ScanImport(ref CssTokenizer tokens, Uri baseUrl, bool canBlock, bool allowed, ResourceSet found)
    {
        CssTokenRange target = default;
        var hasTarget = false;
        var ahead = tokens;
        var t = ahead.NextSignificant();
        if (t.Type is CssTokenType.String or CssTokenType.Url)
        {
            (target, hasTarget) = (t, true);
            tokens = ahead;
        }
        else if (t.Type == CssTokenType.Function && tokens.ValueEquals(t, "url"))
        {
            var argument = ahead.NextSignificant();
            if (argument.Type == CssTokenType.String && ahead.NextSignificant().Type == CssTokenType.CloseParen)
            {
                (target, hasTarget) = (argument, true);
                tokens = ahead;
            }
        }

        // Skip the optional layer and supports() parts; what remains up to ";" is the media query list.
        ahead = tokens;
        t = ahead.NextSignificant();
        if (t.Type == CssTokenType.Ident && tokens.ValueEquals(t, "layer"))
        {
            tokens = ahead;
        }

        while (true)
        {
            ahead = tokens;
            t = ahead.NextSignificant();
            if (t.Type != CssTokenType.Function || !(tokens.ValueEquals(t, "layer") || tokens.ValueEquals(t, "supports")))
            {
                break;
            }

            tokens = ahead;
            SkipFunction(ref tokens);
        }

        var mediaStart = -1;
        CssTokenizer beforeEnd;
        do
        {
            beforeEnd = tokens;
            t = tokens.NextSignificant();
            if (mediaStart < 0)
            {
                mediaStart = t.Type == CssTokenType.Eof ? tokens.Length : t.Start;
            }
        }
        while (t.Type is not (CssTokenType.Semicolon or CssTokenType.OpenCurly or CssTokenType.Eof));

        if (t.Type == CssTokenType.OpenCurly)
        {
            hasTarget = false; // an @import with a block is invalid; the block is then skipped by the caller
            tokens = beforeEnd;
        }

        if (allowed && hasTarget)
        {
            var renderBlocking = false;
            if (canBlock)
            {
                var mediaEnd = t.Type == CssTokenType.Eof ? tokens.Length : t.Start;
                renderBlocking = CssMediaQuery.MatchesScreen(tokens.Text(mediaStart, Math.Max(mediaStart, mediaEnd)));
            }

            found.Add(ReferenceUrl.Resolve(tokens.Value(target), baseUrl), ResourceKind.Stylesheet, renderBlocking);
        }
    }

    /// <summary>Consumes a function's arguments through the ) that closes it (the function token is already consumed).</summary>
    private static void SkipFunction(ref CssTokenizer tokens)
    {
        var depth = 1;
        while (depth > 0)
        {
            var t = tokens.NextSignificant();
            if (t.Type == CssTokenType.Eof)
            {
                return;
            }

            depth += t.Type is CssTokenType.Function or CssTokenType.OpenParen ? 1 : t.Type == CssTokenType.CloseParen ? -1 : 0;
        }
    }

    internal static void AddReference(string value, Uri baseUrl, bool inFontFace, ResourceSet found)
    {
        var url = ReferenceUrl.Resolve(value, baseUrl);
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
