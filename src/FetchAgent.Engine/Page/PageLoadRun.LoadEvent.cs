using FetchAgent.Engine.Discovery;
using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Page;

/// <summary>
/// The load event (HTML §8.4 "completely finish loading"): every object the page needed has ended. Chromium requests the
/// page's icon (<c>&lt;link rel=icon&gt;</c>) only then, so it is in no time of the page; FetchAgent does the same and
/// flags the object <see cref="ObjectRecord.AfterOnLoad"/>.
/// </summary>
internal sealed partial class PageLoadRun
{
    private readonly List<(DiscoveredResource Resource, int ParentId, Initiator Initiator)> _afterLoad = [];
    private volatile bool _loadEventFired;

    /// <summary>Keeps a reference for the load event; false once it has fired (the reference is then requested at once).</summary>
    private bool DeferredToLoadEvent(DiscoveredResource resource, int parentId, Initiator initiator)
    {
        lock (_afterLoad)
        {
            if (_loadEventFired)
                return false;
            _afterLoad.Add((resource, parentId, initiator));
            return true;
        }
    }

    private void FireLoadEvent()
    {
        List<(DiscoveredResource Resource, int ParentId, Initiator Initiator)> waiting;
        lock (_afterLoad)
        {
            _loadEventFired = true;
            waiting = [.. _afterLoad];
            _afterLoad.Clear();
        }

        if (_cancellation.IsCancellationRequested)
            return;
        foreach (var (resource, parentId, initiator) in waiting)
            IssueAll([resource], parentId, initiator, frameDepth: 0, style: null);
    }
}
