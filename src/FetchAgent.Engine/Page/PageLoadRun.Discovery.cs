using FetchAgent.Engine.Timeline;

namespace FetchAgent.Engine.Page;

internal sealed partial class PageLoadRun
{
    /// <summary>Issues the sub-resources of an HTML document (the page or a frame).</summary>
    private void DiscoverHtml(FetchedObject document, int frameDepth)
    {
        var found = Discover(document, "html", HtmlDiscovery.Discover);
        // A frame renders on its own: nothing in it holds the page's start render or DOMContentLoaded.
        if (frameDepth > 0)
            found = found.Select(r => r with { RenderBlocking = false, ParserBlocking = false }).ToList();
        IssueAll(found, document.Record.Id, Initiator.Parser, frameDepth);
    }

    /// <summary>Issues the <c>@import</c> and <c>url()</c> references of a stylesheet.</summary>
    private void DiscoverCss(FetchedObject stylesheet, bool blocking, int frameDepth)
    {
        var found = Discover(stylesheet, "css", CssDiscovery.Discover);
        // An @import blocks rendering only as much as the sheet that imports it does.
        found = found.Select(r => r with { RenderBlocking = r.RenderBlocking && blocking, ParserBlocking = false }).ToList();
        IssueAll(found, stylesheet.Record.Id, Initiator.Css, frameDepth);
    }

    /// <summary>Runs a discoverer on a kept body; a parser failure fails that object, not the page load.</summary>
    private static IReadOnlyList<DiscoveredResource> Discover(
        FetchedObject fetched, string what, Func<ReadOnlyMemory<byte>, string?, Uri, IReadOnlyList<DiscoveredResource>> discover)
    {
        try
        {
            return discover(fetched.Content, fetched.Record.ContentType, new Uri(fetched.Record.Url));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            fetched.Record.Error = $"{what}: {e.Message}";
            return [];
        }
    }

    /// <summary>
    /// Issues resources like a browser: render-blocking stylesheets and parser-blocking scripts first,
    /// then the rest in document order; each URL once per page load.
    /// </summary>
    private void IssueAll(IReadOnlyList<DiscoveredResource> found, int parentId, Initiator initiator, int frameDepth)
    {
        var ordered = found
            .Select((resource, index) => (resource, index))
            .OrderBy(x => x.resource.RenderBlocking || x.resource.ParserBlocking ? 0 : 1)
            .ThenBy(x => x.index)
            .Select(x => x.resource);
        foreach (var resource in ordered)
        {
            if (resource.Kind == ResourceKind.Iframe && frameDepth + 1 > MaxFrameDepth)
                continue;
            if (!_seen.TryAdd(Key(resource.Url), true))
                continue;
            Track(FetchResourceAsync(resource, parentId, initiator, frameDepth));
        }
    }

    private async Task FetchResourceAsync(DiscoveredResource resource, int parentId, Initiator initiator, int frameDepth)
    {
        var fetched = await FetchChainAsync(resource.Url, resource.Kind, initiator, parentId, resource.RenderBlocking, resource.ParserBlocking).ConfigureAwait(false);
        if (fetched is null || !fetched.Succeeded || fetched.Content.IsEmpty)
            return;
        if (resource.Kind == ResourceKind.Stylesheet)
            DiscoverCss(fetched, resource.RenderBlocking, frameDepth);
        else if (resource.Kind == ResourceKind.Iframe && fetched.IsHtml)
            DiscoverHtml(fetched, frameDepth + 1);
    }
}
