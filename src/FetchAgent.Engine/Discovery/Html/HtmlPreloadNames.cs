namespace FetchAgent.Engine.Discovery.Html;

/// <summary>The tag names the preload scanner acts on, interned so the scanner compares references, and their groups.</summary>
internal static class HtmlPreloadNames
{
    private static readonly HashSet<string> Known =
    [
        "link", "script", "style", "img", "image", "source", "video", "audio", "track", "iframe", "frame", "frameset",
        "input", "object", "embed", "base", "meta", "picture", "template", "svg", "math", "select", "option", "optgroup",
        "hr", "keygen", "textarea", "title", "xmp", "noembed", "noframes", "noscript", "plaintext", "html", "head", "body",
        "br", "basefont", "bgsound", "font", "b", "big", "blockquote", "center", "code", "dd", "div", "dl", "dt", "em",
        "h1", "h2", "h3", "h4", "h5", "h6", "i", "li", "listing", "menu", "nobr", "ol", "p", "pre", "ruby", "s", "small",
        "span", "strong", "strike", "sub", "sup", "table", "tt", "u", "ul", "var", "area", "col", "wbr", "param",
    ];

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Lookup = Known.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The interned name for these lower-case ASCII bytes, or null when it is none of ours.</summary>
    public static string? Intern(ReadOnlySpan<byte> name)
    {
        Span<char> chars = stackalloc char[name.Length];
        for (var i = 0; i < name.Length; i++)
            chars[i] = (char)name[i];
        return Lookup.TryGetValue(chars, out var known) ? known : null;
    }

    /// <summary>§13.2.6.5 "rules for parsing tokens in foreign content": these start tags leave SVG/MathML for HTML.</summary>
    public static bool BreaksOutOfForeignContent(string? name) => name is
        "b" or "big" or "blockquote" or "body" or "br" or "center" or "code" or "dd" or "div" or "dl" or "dt" or "em" or
        "embed" or "h1" or "h2" or "h3" or "h4" or "h5" or "h6" or "head" or "hr" or "i" or "img" or "li" or "listing" or
        "menu" or "meta" or "nobr" or "ol" or "p" or "pre" or "ruby" or "s" or "small" or "span" or "strong" or "strike" or
        "sub" or "sup" or "table" or "tt" or "u" or "ul" or "var";

    /// <summary>§13.2.6.4.4 "in head": start tags that stay in (or, after &lt;/head&gt;, go back into) the head.</summary>
    public static bool BelongsInHead(string? name) => name is
        "html" or "head" or "base" or "basefont" or "bgsound" or "link" or "meta" or "title" or "noscript" or "noframes" or
        "style" or "script" or "template";

    /// <summary>§13.1.2 void elements: they never contain anything, so they never nest what follows.</summary>
    public static bool IsVoid(string? name) => name is
        "area" or "base" or "br" or "col" or "embed" or "hr" or "img" or "image" or "input" or "link" or "meta" or "source" or
        "track" or "wbr" or "param" or "keygen" or "basefont" or "bgsound" or "frame";
}
