using FetchAgent.Engine.Model;


namespace FetchAgent.Engine.Discovery;

/// <summary>A sub-resource a document or stylesheet references.</summary>
/// <param name="AfterLoad">Requested only after the load event, as Chromium requests the page's icon.</param>
public sealed record DiscoveredResource(Uri Url, ResourceKind Kind, bool RenderBlocking, bool ParserBlocking, bool AfterLoad = false);
