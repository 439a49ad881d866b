using System.Text;
using AngleSharp.Dom;
using FetchAgent.Engine.Discovery.Css;
using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Discovery.Html;

/// <summary>What every element rule needs: the base URL, the document's encoding, and the list being built.</summary>
internal sealed class HtmlDiscoveryContext(Uri baseUrl, Encoding encoding)
{
    public Uri BaseUrl { get; } = baseUrl;

    public Encoding Encoding { get; } = encoding;

    public ResourceSet Found { get; } = new();

    /// <summary>HTML §2.4.2 "encoding-parsing a URL" relative to the document's base URL.</summary>
    public Uri? Resolve(string? value) => ReferenceUrl.Resolve(value, BaseUrl, Encoding);

    public void Add(string? value, ResourceKind kind, bool renderBlocking = false, bool parserBlocking = false, bool afterLoad = false, bool boostable = false) =>
        Found.Add(Resolve(value), kind, renderBlocking, parserBlocking, afterLoad, boostable);

    /// <summary>Image when the URL's path ends in an image extension, else Other (for object/embed).</summary>
    public void AddImageOrOther(string? value)
    {
        var url = Resolve(value);
        if (url is not null)
        {
            Found.Add(url, CssReferenceScanner.HasExtension(url, CssReferenceScanner.ImageExtensions) ? ResourceKind.Image : ResourceKind.Other);
        }
    }

    /// <summary>The attribute split on ASCII whitespace and lower-cased (HTML §2.3.7 set of space-separated tokens).</summary>
    public static HashSet<string> Tokens(IElement element, string attribute) =>
        (element.GetAttribute(attribute) ?? "")
            .Split(['\t', '\n', '\f', '\r', ' '], StringSplitOptions.RemoveEmptyEntries)
            .Select(t => t.ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);
}
