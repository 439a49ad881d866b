namespace FetchAgent.Engine.Page;

/// <summary>Finds the <c>@import</c> and <c>url()</c> references of a stylesheet.</summary>
public static class CssDiscovery
{
    /// <summary>Every http(s) reference once, in source order, resolved against the stylesheet URL.</summary>
    public static IReadOnlyList<DiscoveredResource> Discover(ReadOnlyMemory<byte> css, string? contentType, Uri stylesheetUrl) =>
        throw new NotImplementedException();
}
