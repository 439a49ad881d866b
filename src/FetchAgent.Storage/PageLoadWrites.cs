using FetchAgent.Engine.Model;

namespace FetchAgent.Storage;

/// <summary>
/// The page-load writes whose SQL is the same in both databases, and what a write tells the document. How a row's id
/// is read back, how children are inserted and how the transaction runs are each store's own.
/// </summary>
internal static class PageLoadWrites
{
    /// <summary>Every column of the row of <c>@Id</c> from a <see cref="DocumentRows.Row"/>.</summary>
    public static readonly string UpdateRow = $"UPDATE page_loads SET {Tables.PageLoads.Assignments} WHERE id = @Id;";

    /// <summary>A completed write replaces whatever was stored for load <c>@id</c> before (nothing, for a load that only started).</summary>
    public const string DeleteChildren =
        "DELETE FROM objects WHERE page_load_id = @id; DELETE FROM connections WHERE page_load_id = @id;";

    /// <summary>Issue 15: the repeat view of first view <c>@id</c> (one per first view: a rewrite replaces it).</summary>
    public const string DeleteRepeatView = "DELETE FROM page_loads WHERE repeat_of = @id;";

    /// <summary>Load <c>@id</c>; its objects and connections go with it (ON DELETE CASCADE), comparison rows keep their place with no page load.</summary>
    public const string Delete = "DELETE FROM page_loads WHERE id = @id;";

    /// <summary>
    /// What a running load's row becomes when it is failed with <c>@reason</c>: its figures are what is stored (a
    /// running load has no objects stored; they are written with the finished document). Each store adds which loads.
    /// </summary>
    public const string FailRunning =
        "UPDATE page_loads SET status = 'failed', error = @reason, " +
        "object_count = (SELECT count(*) FROM objects o WHERE o.page_load_id = page_loads.id), " +
        "connection_count = (SELECT count(*) FROM connections c WHERE c.page_load_id = page_loads.id) ";

    /// <summary>The repeat view's id, once its insert assigned one, on the document the caller holds.</summary>
    public static void AssignRepeatViewId(PageLoadDocument document, long? repeatId)
    {
        if (document.RepeatView is { } repeatView && repeatId is { } assigned)
            repeatView.Id = assigned;
    }
}
