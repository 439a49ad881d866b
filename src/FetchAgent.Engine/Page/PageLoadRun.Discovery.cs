using FetchAgent.Engine.Discovery;
using FetchAgent.Engine.Discovery.Css;
using FetchAgent.Engine.Discovery.Html;
using FetchAgent.Engine.Model;


namespace FetchAgent.Engine.Page;

internal sealed partial class PageLoadRun
{
    /// <summary>
    /// The full parse of an HTML document (the page or a frame) once its last byte is in: it requests what the
    /// preload scanner did not, and its flags replace the scanner's on what the scanner already requested.
    /// </summary>
    private async Task DiscoverHtmlAsync(FetchedObject document, int frameDepth)
    {
        StyledDocument? styled = null;
        try
        {
            styled = await ParseHtmlAsync(document, frameDepth).ConfigureAwait(false);
        }
        finally
        {
            // The style pass waits for this parse (and for every sheet); without a document it requests every reference.
            var style = StyleOf(document.Record.Id, frameDepth);
            if (style.DocumentParsed(styled))
                RunStylePass(style);
        }
    }

    private async Task<StyledDocument?> ParseHtmlAsync(FetchedObject document, int frameDepth)
    {
        if (Parsed(document, css: false) is not { } parsed)
            return null;
        document = parsed;
        IReadOnlyList<DiscoveredResource> found;
        string? title = null;
        StyledDocument? styled = null;
        try
        {
            // A full parse holds ~12 bytes per byte of HTML: only a few run at once in the process.
            using (await HtmlParseGate.EnterAsync(_cancellation).ConfigureAwait(false))
                found = Discover(document, "html", (html, type, url) => HtmlDiscovery.Discover(html, type, url, out title, out styled));
        }
        catch (OperationCanceledException) when (DeadlinePassed)
        {
            return null; // the page's deadline passed while waiting for a turn: what the scanner found stands
        }

        // The page's title is its document's (a frame's is its own): HAR's pages[].title, the UI's heading.
        if (frameDepth == 0)
            Document.Title = title;

        IssueAll(found, document.Record.Id, Initiator.Parser, frameDepth, StyleOf(document.Record.Id, frameDepth), document.Streamed?.Issued);
        document.Record.DiscoveryMs = HeldFor(document);
        return styled;
    }

    /// <summary>
    /// Issues the <c>@import</c>s of a stylesheet and gives its outline to the document's style pass, which decides
    /// on its <c>url()</c> images and fonts; without a document's style, every reference is issued at once.
    /// </summary>
    private void DiscoverCss(FetchedObject stylesheet, bool blocking, int frameDepth, DocumentStyle? style, Uri requested)
    {
        if (Parsed(stylesheet, css: true) is not { } parsed)
            return;
        stylesheet = parsed;
        // With a document's style to decide on them, its images and fonts wait for the style pass: only the imports now.
        var found = Discover(stylesheet, "css", style is null ? CssDiscovery.Discover : CssDiscovery.Imports);
        if (style is not null)
        {
            found = found.Where(r => r.Kind == ResourceKind.Stylesheet).ToList();
            SheetArrived(stylesheet, requested, style);
        }

        // An @import blocks rendering only as much as the sheet that imports it does.
        found = found.Select(r => r with { RenderBlocking = r.RenderBlocking && blocking, ParserBlocking = false }).ToList();
        IssueAll(found, stylesheet.Record.Id, Initiator.Css, frameDepth, style);
        stylesheet.Record.DiscoveryMs = HeldFor(stylesheet);
    }

    /// <summary>
    /// Records on a document, frame or stylesheet how much of it discovery reads when that is not all of it: the
    /// decoded bytes up to the parse cap, or nothing when the page's budget had no room to keep it (false: skip it).
    /// </summary>
    /// <remarks>
    /// A body cut at the cap is read up to its last whole tag (HTML: the last <c>&gt;</c>) or rule or declaration
    /// (CSS: the last <c>;</c> or <c>}</c>): a parser at the end of its input still returns an unfinished
    /// <c>url(/images/he</c>, and that would request a URL the page never named.
    /// </remarks>
    private static FetchedObject? Parsed(FetchedObject fetched, bool css)
    {
        if (fetched.NotKept)
        {
            fetched.Record.ParsedBytes = 0;
            fetched.Record.DiscoveryLimit = Model.DiscoveryLimit.PageBudget;
            return null;
        }

        if (!fetched.ParseCut)
            return fetched;
        var content = fetched.Content.Span;
        var end = css ? content.LastIndexOfAny((byte)';', (byte)'}') : content.LastIndexOf((byte)'>');
        var whole = fetched.Content[..(end + 1)];
        fetched.Record.ParsedBytes = whole.Length;
        fetched.Record.DiscoveryLimit = Model.DiscoveryLimit.ParseCap;
        return fetched with { Content = whole };
    }

    /// <summary>Time FetchAgent held the critical path: from the object's last byte until every reference it had was issued.</summary>
    private double? HeldFor(FetchedObject fetched) =>
        fetched.LastByte is { } lastByte ? Math.Max(0, _clock.Between(lastByte, _clock.Now())) : null;

    /// <summary>Runs a discoverer on a kept body; a parser failure fails that object, not the page load.</summary>
    private static IReadOnlyList<DiscoveredResource> Discover(
        FetchedObject fetched, string what, Func<ReadOnlyMemory<byte>, string?, Uri, IReadOnlyList<DiscoveredResource>> discover)
    {
        try
        {
            return discover(fetched.Content, fetched.Record.ContentType, fetched.Url ?? new Uri(fetched.Record.Url));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            fetched.Record.Error = $"{what}: {e.Message}";
            fetched.Record.ErrorKind = ErrorKind.Internal;
            return [];
        }
    }

    /// <summary>
    /// Issues resources like a browser: render-blocking stylesheets and parser-blocking scripts first,
    /// then the rest in document order; each URL once per page load. A URL this document already issued
    /// (found by its preload scanner) is not requested again: its flags become these.
    /// </summary>
    /// <param name="style">The style of the document these references belong to: a stylesheet issued here counts toward its pass.</param>
    private void IssueAll(
        IReadOnlyList<DiscoveredResource> found, int parentId, Initiator initiator, int frameDepth, DocumentStyle? style, Dictionary<string, ObjectRecord>? issued = null)
    {
        // Priorities come from the document's own view: a frame's blocking requests block the frame, and its scripts and
        // sheets after an image are late in it.
        var late = LateInDocument(found, parentId, initiator);
        var ordered = found
            .Select((resource, index) => (resource, index, late: late?.Contains(resource) == true, blocksItsFrame: frameDepth > 0 && (resource.RenderBlocking || resource.ParserBlocking)))
            // A frame renders on its own: nothing in it holds the page's start render or DOMContentLoaded.
            .Select(x => frameDepth > 0 ? x with { resource = x.resource with { RenderBlocking = false, ParserBlocking = false } } : x)
            .OrderBy(x => x.resource.RenderBlocking || x.resource.ParserBlocking ? 0 : 1)
            .ThenBy(x => x.index);
        foreach (var (resource, _, afterImage, blocksItsFrame) in ordered)
        {
            if (resource.Kind == ResourceKind.Iframe && frameDepth + 1 > MaxFrameDepth)
                continue;
            if (resource.AfterLoad && (frameDepth > 0 || DeferredToLoadEvent(resource, parentId, initiator)))
                continue; // a frame's icon is never requested; the page's waits for the load event
            var key = Key(resource.Url);
            if (!_seen.TryAdd(key, true))
            {
                if (issued is not null && issued.TryGetValue(key, out var mine))
                    SetFlags(mine, resource.RenderBlocking, resource.ParserBlocking);
                continue;
            }

            var record = NewObject(resource.Url, resource.Kind, initiator, parentId, resource.RenderBlocking, resource.ParserBlocking);
            if (record is null)
                continue;
            record.AfterOnLoad = resource.AfterLoad;
            record.Boosted = resource.Boostable && initiator == Initiator.Parser && TakeImageBoost(parentId);
            record.AfterImage = afterImage;
            record.BlocksItsFrame = blocksItsFrame;
            if (issued is not null)
                issued[key] = record;
            var sheetStyle = resource.Kind == ResourceKind.Stylesheet ? style : null;
            sheetStyle?.SheetIssued();
            Track(FetchResourceAsync(record, resource.Url, frameDepth, sheetStyle));
        }
    }

    /// <summary>Documents that have named an image so far (each frame's fetcher keeps its own).</summary>
    private readonly HashSet<int> _imageNamed = [];

    /// <summary>
    /// The "late" requests of <paramref name="found"/>: parser-blocking scripts and stylesheets its document names after
    /// an image, in document order and counting what the document's earlier passes found. Blink's ResourceFetcher
    /// (ComputeLoadPriority) marks the document's first image request as the divide: a classic script that is neither
    /// async nor deferred, or a stylesheet, that its preload scanner finds after it goes at Medium, not High or
    /// VeryHigh (late-body scripts and sheets). The icon is not an image of the document: the browser fetches it.
    /// Null when there is none.
    /// </summary>
    private HashSet<DiscoveredResource>? LateInDocument(IReadOnlyList<DiscoveredResource> found, int documentId, Initiator initiator)
    {
        if (initiator != Initiator.Parser)
            return null;
        lock (_imageNamed)
        {
            var seen = _imageNamed.Contains(documentId);
            HashSet<DiscoveredResource>? late = null;
            foreach (var resource in found)
            {
                if (resource is { Kind: ResourceKind.Image, AfterLoad: false })
                    seen = true;
                else if (seen && resource is { Kind: ResourceKind.Script, ParserBlocking: true } or { Kind: ResourceKind.Stylesheet })
                    (late ??= []).Add(resource);
            }

            if (seen)
                _imageNamed.Add(documentId);
            return late;
        }
    }

    /// <summary>Chromium's BoostImagePriority: a document's first five images that are not small go at Medium.</summary>
    private const int BoostedImagesPerDocument = 5;

    /// <summary>Images boosted so far, per document (each frame's fetcher counts its own).</summary>
    private readonly Dictionary<int, int> _boostedImages = [];

    private bool TakeImageBoost(int documentId)
    {
        lock (_boostedImages)
        {
            var taken = _boostedImages.GetValueOrDefault(documentId);
            if (taken >= BoostedImagesPerDocument)
                return false;
            _boostedImages[documentId] = taken + 1;
            return true;
        }
    }

    /// <summary>Sets an object's blocking flags, and its redirect hops' (a hop inherits its request's flags).</summary>
    private void SetFlags(ObjectRecord record, bool renderBlocking, bool parserBlocking)
    {
        if (record.RenderBlocking == renderBlocking && record.ParserBlocking == parserBlocking)
            return;
        lock (_flagsLock)
        {
            for (ObjectRecord? hop = record; hop is not null; hop = _objects.Values.FirstOrDefault(o => o.Initiator is Initiator.Redirect or Initiator.Auth && o.ParentId == hop.Id))
            {
                hop.RenderBlocking = renderBlocking;
                hop.ParserBlocking = parserBlocking;
            }
        }
    }

    private async Task FetchResourceAsync(ObjectRecord record, Uri url, int frameDepth, DocumentStyle? style)
    {
        var htmlDepth = record.Kind == ResourceKind.Iframe ? frameDepth + 1 : -1;
        // The page's own requests go through its scheduler; a frame's document and what it loads are the frame's. Audio
        // and video are never throttled (Blink's IsThrottlableRequestContext: they may stream for long), nor counted.
        var ticket = frameDepth == 0 && record.Kind is not (ResourceKind.Iframe or ResourceKind.Media) ? _scheduler.For(record) : null;
        FetchedObject fetched;
        try
        {
            fetched = await FetchChainAsync(record, url, htmlDepth, ticket).ConfigureAwait(false);
        }
        finally
        {
            ticket?.End();
        }

        try
        {
            if (!fetched.Succeeded || (fetched.Content.IsEmpty && !fetched.NotKept))
                return;
            if (record.Kind == ResourceKind.Stylesheet)
                DiscoverCss(fetched, record.RenderBlocking, frameDepth, style, url);
            else if (record.Kind == ResourceKind.Iframe && fetched.IsHtml)
                await DiscoverHtmlAsync(fetched, htmlDepth).ConfigureAwait(false);
        }
        finally
        {
            Finished(fetched.Record);
            if (style is not null && style.SheetDone())
                RunStylePass(style);
        }
    }
}
