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
        if (_cancellation.IsCancellationRequested)
            return;
        if (found.Count > 0)
        {
            List<Discovery.DiscoveredResource> batch = [.. found];
            found.Clear();
            IssueAll(batch, document.Record.Id, Initiator.Parser, document.FrameDepth, StyleOf(document.Record.Id, document.FrameDepth), document.Issued);
        }

        if (document.FrameDepth == 0)
            ParserProgress(document);
    }

    /// <summary>
    /// Tells the page's scheduler what the scanner learnt of the way to the body: the requests (issued just now or
    /// before) the parser must see end before it inserts the body, and whether it has read up to the body.
    /// </summary>
    private void ParserProgress(StreamedDocument document)
    {
        var waits = document.Discovery.BodyWaitsFor;
        if (waits.Count > 0)
        {
            var ids = waits.Select(url => document.Issued.TryGetValue(Key(url), out var record) ? record.Id : 0).Where(id => id != 0).ToList();
            waits.Clear();
            _scheduler.BodyWaitsFor(ids);
        }

        if (document.Discovery.BodyStarted)
            _scheduler.BodyReached();
    }

    /// <summary>
    /// The page's document has ended: a body the scanner did not see is implied at its end (once what it waits for has
    /// ended); a document that failed, or is not HTML, inserts no body, and tight mode ends now.
    /// </summary>
    private void DocumentEnded(FetchedObject? navigation)
    {
        if (navigation is { Record.Error: null, Record.Status: not null, IsHtml: true }) // an error page is rendered too
            _scheduler.BodyReached();
        else
            _scheduler.Loosen();
    }
}
