using FetchAgent.Engine.Model;


namespace FetchAgent.Engine.Discovery;

/// <summary>
/// Sub-resources in discovery order, each URL once. A browser's memory cache serves a repeated
/// URL from the first fetch, so the first occurrence fixes position and kind; a later occurrence
/// can only make the fetch more urgent, so the blocking flags are OR-ed.
/// </summary>
internal sealed class ResourceSet
{
    private readonly List<DiscoveredResource> _items = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    public IReadOnlyList<DiscoveredResource> Items => _items;

    public void Add(Uri? url, ResourceKind kind, bool renderBlocking = false, bool parserBlocking = false, bool afterLoad = false, bool boostable = false)
    {
        if (url is null)
        {
            return;
        }

        var key = url.AbsoluteUri;
        if (_index.TryGetValue(key, out var at))
        {
            var first = _items[at];
            _items[at] = first with
            {
                RenderBlocking = first.RenderBlocking || renderBlocking,
                ParserBlocking = first.ParserBlocking || parserBlocking,
                AfterLoad = first.AfterLoad && afterLoad, // needed before the load event by any reference: then
            };
            return;
        }

        _index[key] = _items.Count;
        _items.Add(new DiscoveredResource(url, kind, renderBlocking, parserBlocking, afterLoad, boostable));
    }

    public void AddRange(IEnumerable<DiscoveredResource> resources)
    {
        foreach (var r in resources)
        {
            Add(r.Url, r.Kind, r.RenderBlocking, r.ParserBlocking, r.AfterLoad, r.Boostable);
        }
    }
}
