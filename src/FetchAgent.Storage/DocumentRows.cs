using FetchAgent.Engine.Model;
using FetchAgent.Storage.Rows;

namespace FetchAgent.Storage;

/// <summary>
/// A document as the rows both databases write: its page_loads row, its objects and its connections, made before the
/// write takes its turn (their JSON is not the writer's time).
/// </summary>
internal sealed record DocumentRows(PageLoadRow Row, List<ObjectRow> Objects, List<ConnectionRow> Connections)
{
    /// <summary>The rows of <paramref name="document"/> (not its repeat view) for page load <paramref name="id"/> (0 when the insert assigns it).</summary>
    public static DocumentRows Of(PageLoadDocument document, long id) => new(
        PageLoadRow.From(document, id),
        document.Objects.Select(o => ObjectRow.From(id, o)).ToList(),
        document.Connections.Select(c => ConnectionRow.From(id, c)).ToList());

    /// <summary>Issue 15: the rows of the document's repeat view, whose id its insert assigns; null when it has none.</summary>
    public static DocumentRows? OfRepeatView(PageLoadDocument document) =>
        document.RepeatView is { } repeat ? Of(repeat, 0) : null;

    /// <summary>For a load whose id the insert assigns: the objects and connections take it once it is known.</summary>
    public DocumentRows For(long id)
    {
        foreach (var o in Objects)
            o.PageLoadId = id;
        foreach (var c in Connections)
            c.PageLoadId = id;
        return this;
    }
}
