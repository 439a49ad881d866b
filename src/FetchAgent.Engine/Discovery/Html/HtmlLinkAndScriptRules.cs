using AngleSharp.Dom;
using FetchAgent.Engine.Discovery.Css;
using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Discovery.Html;

/// <summary>The elements that block: <c>&lt;link&gt;</c>, <c>&lt;script&gt;</c> and <c>&lt;style&gt;</c>.</summary>
internal static class HtmlLinkAndScriptRules
{
    /// <summary>HTML §4.6.7: link types that fetch something; every other rel is ignored (dns-prefetch, canonical…).</summary>
    public static void Link(IElement link, HtmlDiscoveryContext context)
    {
        var rel = HtmlDiscoveryContext.Tokens(link, "rel");
        var href = link.GetAttribute("href");
        if (rel.Contains("stylesheet"))
        {
            // §4.6.7.20: an explicitly disabled sheet is not fetched; a type other than text/css is not a sheet we support.
            if (link.HasAttribute("disabled") || !IsCssType(link.GetAttribute("type")))
            {
                return;
            }

            // An alternate sheet is fetched but never applied until chosen, so it blocks nothing.
            var blocking = !rel.Contains("alternate") &&
                           (CssMediaQuery.MatchesScreen(link.GetAttribute("media")) || BlocksRender(link));
            context.Add(href, ResourceKind.Stylesheet, renderBlocking: blocking);
        }
        else if (rel.Contains("icon") || rel.Contains("apple-touch-icon") || rel.Contains("apple-touch-icon-precomposed"))
        {
            // Chromium's favicon driver requests the icon once the load event has fired, outside onLoad.
            context.Add(href, ResourceKind.Image, afterLoad: true);
        }
        else if (rel.Contains("preload"))
        {
            if (PreloadKind(link.GetAttribute("as")) is { } kind)
            {
                context.Add(href, kind);
            }
        }
        else if (rel.Contains("modulepreload"))
        {
            context.Add(href, ResourceKind.Script);
        }
    }

    /// <summary>§4.6.7.12 "translate a preload destination": an unknown <c>as</c> fetches nothing.</summary>
    private static ResourceKind? PreloadKind(string? asValue) => (asValue ?? "").Trim().ToLowerInvariant() switch
    {
        "style" => ResourceKind.Stylesheet,
        "script" => ResourceKind.Script,
        "image" => ResourceKind.Image,
        "font" => ResourceKind.Font,
        "audio" or "video" or "track" => ResourceKind.Media,
        "document" => ResourceKind.Iframe,
        "fetch" or "" => ResourceKind.Other,
        _ => null,
    };

    /// <summary>
    /// §4.12.1 "prepare the script element": only classic and module scripts with <c>src</c> fetch.
    /// A classic script without async/defer stops the parser; in <c>&lt;head&gt;</c> it also holds first render.
    /// </summary>
    public static void Script(IElement script, HtmlDiscoveryContext context)
    {
        if (!script.HasAttribute("src"))
        {
            return;
        }

        var type = TypeOf(script);
        if (type == ScriptType.DataBlock)
        {
            return; // importmap, speculationrules, text/template …: a data block, never fetched
        }

        var module = type == ScriptType.Module;

        // Step 20: a browser that supports modules skips classic scripts marked nomodule.
        if (!module && script.HasAttribute("nomodule"))
        {
            return;
        }

        var parserBlocking = !module && !script.HasAttribute("async") && !script.HasAttribute("defer");
        var renderBlocking = (parserBlocking && HtmlDocumentDecoder.IsInHead(script)) || BlocksRender(script);
        context.Add(script.GetAttribute("src"), ResourceKind.Script, renderBlocking, parserBlocking);
    }

    /// <summary>
    /// §4.2.6 the style element: its sheet's <c>@import</c>s block rendering when the element's media
    /// applies to the screen. Its <c>url()</c>s are not requested here: like a linked sheet's, they wait for the style
    /// pass, which requests an image only when its rule matches an element and a font only when text uses it.
    /// </summary>
    public static void Style(IElement style, HtmlDiscoveryContext context)
    {
        if (!IsCssType(style.GetAttribute("type")))
        {
            return;
        }

        var applies = CssMediaQuery.MatchesScreen(style.GetAttribute("media")) || BlocksRender(style);
        context.Found.AddRange(CssDiscovery.Discover(style.TextContent, context.BaseUrl, applies).Where(r => r.Kind == ResourceKind.Stylesheet));
    }

    /// <summary>The style attribute is a declaration list (CSS Style Attributes §2): its url()s, never an @import.</summary>
    public static void StyleAttribute(IElement element, HtmlDiscoveryContext context)
    {
        if (element.GetAttribute("style") is { Length: > 0 } declarations)
        {
            context.Found.AddRange(CssDiscovery.Discover(declarations, context.BaseUrl, sheetAppliesToScreen: false, declarationList: true));
        }
    }

    /// <summary>§2.5.8 "blocking attributes": <c>blocking="render"</c> makes an element render-blocking.</summary>
    private static bool BlocksRender(IElement element) => HtmlDiscoveryContext.Tokens(element, "blocking").Contains("render");

    private static bool IsCssType(string? type) =>
        string.IsNullOrWhiteSpace(type) || type.Split(';')[0].Trim().Equals("text/css", StringComparison.OrdinalIgnoreCase);

    /// <summary>What a script element is, by §4.12.1 "prepare the script element" steps 8–10.</summary>
    internal enum ScriptType
    {
        Classic,
        Module,
        DataBlock,
    }

    /// <summary>
    /// §4.12.1 "prepare the script element" steps 8–10: its type and language attributes make a script classic (no type:
    /// no language, or "text/" + language a JavaScript MIME type; else a JavaScript MIME type), a module, or a data block.
    /// </summary>
    internal static ScriptType TypeOf(IElement script)
    {
        var type = script.GetAttribute("type");
        if (string.IsNullOrEmpty(type))
        {
            var language = script.GetAttribute("language");
            return string.IsNullOrEmpty(language) || IsJavaScriptMimeType("text/" + language) ? ScriptType.Classic : ScriptType.DataBlock;
        }

        var essence = type.Trim(' ', '\t', '\n', '\f', '\r');
        if (essence.Equals("module", StringComparison.OrdinalIgnoreCase))
            return ScriptType.Module;
        return IsJavaScriptMimeType(essence) ? ScriptType.Classic : ScriptType.DataBlock;
    }

    /// <summary>MIME Sniffing §4.6 "JavaScript MIME type essence match".</summary>
    internal static bool IsJavaScriptMimeType(string type) => JavaScriptMimeTypes.Contains(type);

    private static readonly HashSet<string> JavaScriptMimeTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "application/ecmascript", "application/javascript", "application/x-ecmascript", "application/x-javascript",
        "text/ecmascript", "text/javascript", "text/javascript1.0", "text/javascript1.1", "text/javascript1.2",
        "text/javascript1.3", "text/javascript1.4", "text/javascript1.5", "text/jscript", "text/livescript",
        "text/x-ecmascript", "text/x-javascript",
    };
}
