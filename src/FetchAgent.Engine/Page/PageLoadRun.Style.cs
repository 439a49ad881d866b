using System.Collections.Concurrent;
using FetchAgent.Engine.Discovery;
using FetchAgent.Engine.Discovery.Css;
using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Page;

/// <summary>
/// The style pass: images named in CSS and <c>@font-face</c> fonts are requested as a browser requests them, once the
/// document's styles are known: an image when its rule's selector matches an element, a font when text uses it
/// (<see cref="CssStylePass"/>). Until then a stylesheet yields only its <c>@import</c>s.
/// </summary>
internal sealed partial class PageLoadRun
{
    /// <summary>Each HTML document's style, by the id of its (final) object.</summary>
    private readonly ConcurrentDictionary<int, DocumentStyle> _styles = new();

    /// <summary>Each stylesheet that arrived, by the URL it was requested at, and the object that carried it.</summary>
    private readonly ConcurrentDictionary<string, (CssSheetOutline Outline, int ObjectId)> _sheets = new(StringComparer.Ordinal);

    private DocumentStyle StyleOf(int documentId, int frameDepth) => _styles.GetOrAdd(documentId, id => new DocumentStyle(id, frameDepth));

    /// <summary>Registers an arrived stylesheet's outline with its document (an unreadable sheet has none).</summary>
    private void SheetArrived(FetchedObject stylesheet, Uri requested, DocumentStyle style)
    {
        CssSheetOutline outline;
        try
        {
            outline = CssDiscovery.Outline(stylesheet.Content, stylesheet.Record.ContentType, stylesheet.Url ?? requested);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            outline = CssSheetOutline.Empty;
        }

        _sheets[Key(requested)] = (outline, stylesheet.Record.Id);
        style.SheetArrived(outline);
    }

    /// <summary>Runs the pass and requests what it found: by the sheet whose rule named it (a <c>&lt;style&gt;</c>'s: the document).</summary>
    private void RunStylePass(DocumentStyle style)
    {
        if (_cancellation.IsCancellationRequested)
            return;
        List<StyledReference> found;
        try
        {
            found = style.Page is { } page
                ? CssStylePass.Run(page, CssStylePass.Sheets(page, url => _sheets.TryGetValue(Key(url), out var s) ? s.Outline : null))
                : Everything(style.Arrived);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            found = Everything(style.Arrived); // a bug of ours in the pass: every reference, as before the pass existed
        }

        var ids = new Dictionary<CssSheetOutline, int>(ReferenceEqualityComparer.Instance);
        foreach (var (outline, objectId) in _sheets.Values)
            ids.TryAdd(outline, objectId);
        foreach (var reference in found)
        {
            var resource = style.FrameDepth > 0 ? reference.Resource with { RenderBlocking = false, ParserBlocking = false } : reference.Resource;
            if (ids.TryGetValue(reference.Sheet, out var sheetId))
                IssueAll([resource], sheetId, Initiator.Css, style.FrameDepth, style: null);
            else
                IssueAll([resource], style.DocumentId, Initiator.Parser, style.FrameDepth, style: null);
        }
    }

    /// <summary>Without a document to match: every image of every rule and the chosen source of every face.</summary>
    private static List<StyledReference> Everything(IReadOnlyList<CssSheetOutline> sheets) =>
    [
        .. sheets.SelectMany(s => s.Rules.SelectMany(r => r.References).Select(r => new StyledReference(r, s))),
        .. sheets.SelectMany(s => s.FontFaces.Where(f => f.Source is not null).Select(f => new StyledReference(f.Source! with { Kind = ResourceKind.Font }, s))),
    ];
}
