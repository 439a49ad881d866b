using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Page;

/// <summary>
/// The RFC 9218 <c>priority</c> field a request carries on an HTTP/2 stream, as Chromium sets it: its request priority
/// (Highest, High, Medium, Low, Lowest) as urgency 0–4, and <c>i</c> (incremental, §4.2) for what is useful as it
/// arrives (documents, images, media) but not for what must be whole (CSS, fonts, scripts). Urgency 3 is the
/// default (§4.1) and, as Chromium does, is left out.
/// </summary>
internal static class RequestPriority
{
    public static string? For(ObjectRecord record) => record.Kind switch
    {
        // Chromium: the main frame and frames at Highest; stylesheets and fonts at Highest, not incremental.
        ResourceKind.Document or ResourceKind.Iframe => "u=0, i",
        ResourceKind.Stylesheet or ResourceKind.Font => "u=0",
        // Scripts by their blocking kind: a parser-blocking script at High, async and defer at Low (the default u=3).
        ResourceKind.Script => record.ParserBlocking || record.RenderBlocking ? "u=1" : null,
        // Images and media at Low, incremental; one of the document's first five images that are not small at Medium.
        ResourceKind.Image when record.Boosted => "u=2, i",
        ResourceKind.Image or ResourceKind.Media => "i",
        _ => "u=1",
    };

    /// <summary>
    /// The request's rank in a pool's queue, as Chromium's resource priorities order its requests (lower first):
    /// the document, frames, render-blocking stylesheets (an <c>@import</c> of one too) and fonts at 0 (VeryHigh);
    /// parser-blocking scripts at 1 (High); other fetches at 2 (Medium); images, media, async and deferred scripts
    /// and stylesheets that do not block at 3 (Low), but the first five images of a document that are not small in its
    /// markup at 2 (Medium, Chromium's BoostImagePriority); the page's icon at 4 (Lowest).
    /// </summary>
    public static int QueueRank(ObjectRecord record) => record.Kind switch
    {
        ResourceKind.Document or ResourceKind.Iframe or ResourceKind.Font => 0,
        ResourceKind.Stylesheet => record.RenderBlocking ? 0 : 3,
        ResourceKind.Script => record.ParserBlocking || record.RenderBlocking ? 1 : 3,
        ResourceKind.Image => record.Boosted ? 2 : 3,
        ResourceKind.Media => 3,
        _ => 2,
    };
}
