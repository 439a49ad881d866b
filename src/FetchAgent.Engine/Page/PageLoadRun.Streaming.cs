using FetchAgent.Engine.Discovery.Html;
using FetchAgent.Engine.Model;


namespace FetchAgent.Engine.Page;

internal sealed partial class PageLoadRun
{
    /// <summary>
    /// A document or frame is read for references while its body streams in (HTML only; the discovery decides
    /// from the response head). Null for every other object, and for a frame deeper than frames are followed.
    /// </summary>
    private StreamedDocument? StreamFor(ObjectRecord record, Uri url, int htmlFrameDepth)
    {
        if (htmlFrameDepth < 0 || htmlFrameDepth > MaxFrameDepth || record.Kind is not (ResourceKind.Document or ResourceKind.Iframe))
            return null;
        var discovery = new StreamingHtmlDiscovery(url, successOnly: record.Kind == ResourceKind.Iframe, _limits.MaxParsedBytes);
        return new StreamedDocument(discovery, record, htmlFrameDepth, maxQueuedBytes: _limits.MaxParsedBytes);
    }

    /// <summary>
    /// What the scanner found in a streamed document, issued at once (on the document's scanning task, off the
    /// connection's read path): a browser's preload scanner requests while the parser is still reading.
    /// </summary>
    private void Scanned(StreamedDocument document)
    {
        var found = document.Discovery.Found;
        if (found.Count == 0 || _cancellation.IsCancellationRequested)
            return;
        var batch = document.FrameDepth > 0
            ? found.Select(r => r with { RenderBlocking = false, ParserBlocking = false }).ToList()
            : [.. found];
        found.Clear();
        IssueAll(batch, document.Record.Id, Initiator.Parser, document.FrameDepth, StyleOf(document.Record.Id, document.FrameDepth), document.Issued);
    }
}
