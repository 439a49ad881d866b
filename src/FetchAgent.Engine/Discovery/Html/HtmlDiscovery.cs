using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using FetchAgent.Engine.Discovery.Css;

namespace FetchAgent.Engine.Discovery.Html;

/// <summary>Finds the sub-resources of an HTML document, as a browser's parser and preload scanner would.</summary>
public static class HtmlDiscovery
{
    /// <summary>Every http(s) sub-resource once, in document order, resolved against the document URL and &lt;base href&gt;.</summary>
    public static IReadOnlyList<DiscoveredResource> Discover(ReadOnlyMemory<byte> html, string? contentType, Uri documentUrl) =>
        Discover(html, contentType, documentUrl, out _);

    /// <summary>As above, and the document's title (HTML §3.1.3 "the document's title": the first title element's
    /// text, ASCII whitespace stripped and collapsed), null when it has none.</summary>
    public static IReadOnlyList<DiscoveredResource> Discover(ReadOnlyMemory<byte> html, string? contentType, Uri documentUrl, out string? title) =>
        Discover(html, contentType, documentUrl, out title, out _);

    /// <summary>As above, and the parsed document kept for the style pass (which images and fonts its styles use).</summary>
    public static IReadOnlyList<DiscoveredResource> Discover(
        ReadOnlyMemory<byte> html, string? contentType, Uri documentUrl, out string? title, out StyledDocument styled)
    {
        ArgumentNullException.ThrowIfNull(documentUrl);
        var (document, encoding) = HtmlDocumentDecoder.Parse(html.Span, contentType);
        title = string.IsNullOrEmpty(document.Title) ? null : document.Title;
        var context = new HtmlDiscoveryContext(BaseUrl(document, documentUrl), encoding);
        styled = new StyledDocument(document, context.BaseUrl);

        // Tree order is document order. Template contents live in a separate fragment and are
        // not walked, as a browser does not fetch for inert template content (§4.12.3).
        foreach (var element in document.All)
        {
            if (element.NamespaceUri == NamespaceNames.HtmlUri)
            {
                Visit(element, context);
            }

            HtmlLinkAndScriptRules.StyleAttribute(element, context);
        }

        return context.Found.Items;
    }

    private static void Visit(IElement element, HtmlDiscoveryContext context)
    {
        switch (element.LocalName)
        {
            case "link":
                HtmlLinkAndScriptRules.Link(element, context);
                break;
            case "script":
                HtmlLinkAndScriptRules.Script(element, context);
                break;
            case "style":
                HtmlLinkAndScriptRules.Style(element, context);
                break;
            case "img":
                HtmlMediaRules.Img(element, context);
                break;
            case "video" or "audio":
                HtmlMediaRules.VideoOrAudio(element, context);
                break;
            case "iframe" or "frame":
                HtmlMediaRules.Frame(element, context);
                break;
            case "input":
                HtmlMediaRules.Input(element, context);
                break;
            case "object":
                HtmlMediaRules.ObjectElement(element, context);
                break;
            case "embed":
                HtmlMediaRules.Embed(element, context);
                break;
        }
    }

    /// <summary>
    /// HTML §2.4.1 "document base URL": the frozen base URL of the first base element with an href,
    /// else the document's URL. A base that does not parse (or is not http/https) falls back too.
    /// </summary>
    private static Uri BaseUrl(IHtmlDocument document, Uri documentUrl) =>
        ResolveBase(document.All.FirstOrDefault(e => e.LocalName == "base" && e.NamespaceUri == NamespaceNames.HtmlUri && e.HasAttribute("href"))
            ?.GetAttribute("href"), documentUrl);

    /// <summary>The base URL the first base element's <paramref name="href"/> gives (shared with the preload scanner).</summary>
    internal static Uri ResolveBase(string? href, Uri documentUrl)
    {
        if (href is not null && Uri.TryCreate(documentUrl, href.Trim(), out var baseUrl) &&
            (baseUrl.Scheme == Uri.UriSchemeHttp || baseUrl.Scheme == Uri.UriSchemeHttps))
        {
            return baseUrl;
        }

        return documentUrl;
    }
}
