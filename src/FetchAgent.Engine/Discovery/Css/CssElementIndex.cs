using AngleSharp.Dom;

namespace FetchAgent.Engine.Discovery.Css;

/// <summary>
/// The document's elements by id, class and tag name, so a selector is tried only on the elements its subject's key
/// allows (<see cref="CssSelectorMatch.Key"/>), as a browser's rule hashing does: a page of 15,000 elements and a few
/// hundred rules would otherwise take millions of matches, seconds FetchAgent would hold every CSS image and font
/// back. Keys are compared without case, a superset of what can match; the selector engine still decides.
/// </summary>
internal sealed class CssElementIndex
{
    private readonly IReadOnlyList<IElement> _all;
    private readonly Dictionary<string, List<IElement>> _byId = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<IElement>> _byClass = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<IElement>> _byTag = new(StringComparer.OrdinalIgnoreCase);

    public CssElementIndex(IReadOnlyList<IElement> elements)
    {
        _all = elements;
        foreach (var element in elements)
        {
            Add(_byTag, element.LocalName, element);
            if (element.Id is { Length: > 0 } id)
                Add(_byId, id, element);
            foreach (var name in element.ClassList.Distinct(StringComparer.OrdinalIgnoreCase))
                Add(_byClass, name, element);
        }
    }

    /// <summary>The elements, in tree order, that <paramref name="selector"/> may match.</summary>
    public IReadOnlyList<IElement> Candidates(CssSelectorMatch selector) => selector.Key switch
    {
        ('#', var id) => _byId.GetValueOrDefault(id) ?? [],
        ('.', var name) => _byClass.GetValueOrDefault(name) ?? [],
        ('t', var tag) => _byTag.GetValueOrDefault(tag) ?? [],
        _ => _all,
    };

    private static void Add(Dictionary<string, List<IElement>> index, string key, IElement element)
    {
        if (!index.TryGetValue(key, out var list))
            index[key] = list = [];
        list.Add(element);
    }
}
