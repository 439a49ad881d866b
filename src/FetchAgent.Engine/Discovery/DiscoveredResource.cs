using FetchAgent.Engine.Model;


namespace FetchAgent.Engine.Discovery;

/// <summary>A sub-resource a document or stylesheet references.</summary>
public sealed record DiscoveredResource(Uri Url, ResourceKind Kind, bool RenderBlocking, bool ParserBlocking);
