using FetchAgent.Engine.Model;


namespace FetchAgent.Engine.Discovery;

/// <summary>A sub-resource a document or stylesheet references.</summary>
/// <param name="AfterLoad">Requested only after the load event, as Chromium requests the page's icon.</param>
/// <param name="Boostable">
/// An <c>&lt;img&gt;</c> of the document whose markup does not say it is small: one of the first five such is requested
/// at Medium priority, not Low (Chromium's BoostImagePriority).
/// </param>
public sealed record DiscoveredResource(Uri Url, ResourceKind Kind, bool RenderBlocking, bool ParserBlocking, bool AfterLoad = false, bool Boostable = false);
