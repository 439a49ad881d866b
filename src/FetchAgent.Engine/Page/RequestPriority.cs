using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Page;

/// <summary>
/// A request's priority as Chromium gives it (Blink's ResourceFetcher; Pat Meenan's "Chrome Resource Priorities and
/// Scheduling"), as a rank that orders a pool's queue and tight mode, as Chromium's name for it (the DevTools
/// protocol's ResourcePriority, HAR's <c>_priority</c>), and as the RFC 9218 <c>priority</c> field of an HTTP/2 stream.
/// </summary>
public static class RequestPriority
{
    /// <summary>Chromium's names for the ranks of <see cref="QueueRank"/> (DevTools protocol's ResourcePriority), highest first.</summary>
    public static IReadOnlyList<string> Names { get; } = ["VeryHigh", "High", "Medium", "Low", "VeryLow"];

    /// <summary>
    /// The request's rank (lower first): the document, frames, render-blocking stylesheets (an <c>@import</c> of one too)
    /// and fonts at 0 (VeryHigh); parser-blocking scripts at 1 (High); the page's icon at 1 (High, as the browser fetches
    /// it); at 2 (Medium) a parser-blocking script or a stylesheet its document names after an image ("late", whatever
    /// the sheet's media), the first five images of a document that are not small in its markup (BoostImagePriority)
    /// and other fetches; other images, media, async and deferred scripts at 3 (Low); stylesheets that do not block
    /// render at 4 (VeryLow). A frame's blocking requests rank as blocking ones: they block the frame, if not the page.
    /// </summary>
    public static int QueueRank(ObjectRecord record) => record.Kind switch
    {
        ResourceKind.Document or ResourceKind.Iframe or ResourceKind.Font => 0,
        ResourceKind.Stylesheet when record.AfterImage => 2,
        ResourceKind.Stylesheet => record.RenderBlocking || record.BlocksItsFrame ? 0 : 4,
        ResourceKind.Script when record.ParserBlocking || record.RenderBlocking || record.BlocksItsFrame => record.AfterImage ? 2 : 1,
        ResourceKind.Script => 3,
        ResourceKind.Image when record.AfterOnLoad => 1,
        ResourceKind.Image => record.Boosted ? 2 : 3,
        ResourceKind.Media => 3,
        _ => 2,
    };

    /// <summary>The request's priority in Chromium's words: <see cref="Names"/>[<see cref="QueueRank"/>].</summary>
    public static string Name(ObjectRecord record) => Names[QueueRank(record)];

    /// <summary>
    /// The RFC 9218 <c>priority</c> field Chromium sends with the request on an HTTP/2 stream: the rank as urgency 0–4
    /// (VeryHigh is 0, VeryLow 4), and <c>i</c> (incremental, §4.2) for what is useful as it arrives (documents, frames,
    /// images, media) but not for what must be whole (CSS, fonts, scripts). Urgency 3 is the default (§4.1) and, as
    /// Chromium does, is left out: a Low script sends no field at all.
    /// </summary>
    public static string? For(ObjectRecord record)
    {
        var urgency = QueueRank(record);
        var incremental = record.Kind is ResourceKind.Document or ResourceKind.Iframe or ResourceKind.Image or ResourceKind.Media;
        return (urgency == 3, incremental) switch
        {
            (true, true) => "i",
            (true, false) => null,
            (false, true) => $"u={urgency}, i",
            (false, false) => $"u={urgency}",
        };
    }
}
