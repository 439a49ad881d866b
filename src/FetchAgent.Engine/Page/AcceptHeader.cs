using FetchAgent.Engine.Model;


namespace FetchAgent.Engine.Page;

/// <summary>The <c>Accept</c> a browser sends for each kind of object (RFC 9110 §12.5.1).</summary>
public static class AcceptHeader
{
    public static string For(ResourceKind kind) => kind switch
    {
        ResourceKind.Document or ResourceKind.Iframe => "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        ResourceKind.Stylesheet => "text/css,*/*;q=0.1",
        ResourceKind.Image => "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8",
        _ => "*/*",
    };

    /// <summary>Kinds whose bodies the loader reads for more references; everything else is only counted.</summary>
    public static bool KeepsContent(ResourceKind kind) => kind is ResourceKind.Document or ResourceKind.Iframe or ResourceKind.Stylesheet;
}
