namespace FetchAgent.Engine.Page;

/// <summary>Finds the sub-resources of an HTML document, as a browser's parser and preload scanner would.</summary>
public static class HtmlDiscovery
{
    /// <summary>Every http(s) sub-resource once, in document order, resolved against the document URL and &lt;base href&gt;.</summary>
    public static IReadOnlyList<DiscoveredResource> Discover(ReadOnlyMemory<byte> html, string? contentType, Uri documentUrl) =>
        throw new NotImplementedException();
}
