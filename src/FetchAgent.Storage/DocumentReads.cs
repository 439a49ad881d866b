using System.Data.Common;
using Dapper;
using FetchAgent.Engine.Model;
using FetchAgent.Storage.Rows;

namespace FetchAgent.Storage;

/// <summary>
/// A page load's document as both databases read it back: one batch of selects (the load, its objects, its
/// connections, and issue 15's repeat view with its own), mapped into the document. Each store opens the connection
/// and its own read transaction, so the document is one snapshot.
/// </summary>
internal static class DocumentReads
{
    /// <summary>The batch for page load <c>@id</c>: six result sets, read in this order.</summary>
    private static readonly string Sql =
        $"SELECT {Tables.PageLoads.SelectList} FROM page_loads WHERE id = @id; " +
        $"SELECT {Tables.Objects.SelectList} FROM objects WHERE page_load_id = @id ORDER BY id; " +
        $"SELECT {Tables.Connections.SelectList} FROM connections WHERE page_load_id = @id ORDER BY id; " +
        // Issue 15: the load's repeat view, a row of its own (at most one), with its objects and connections.
        $"SELECT {Tables.PageLoads.SelectList} FROM page_loads WHERE repeat_of = @id; " +
        $"SELECT {Tables.Objects.SelectList} FROM objects WHERE page_load_id = (SELECT id FROM page_loads WHERE repeat_of = @id) ORDER BY id; " +
        $"SELECT {Tables.Connections.SelectList} FROM connections WHERE page_load_id = (SELECT id FROM page_loads WHERE repeat_of = @id) ORDER BY id;";

    /// <summary>Page load <paramref name="id"/> with its repeat view when it has one, read in <paramref name="transaction"/>; null when there is no such load.</summary>
    public static async Task<PageLoadDocument?> ReadAsync(DbConnection connection, DbTransaction transaction, long id, CancellationToken cancellationToken)
    {
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(Sql, new { id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var row = await results.ReadSingleOrDefaultAsync<PageLoadRow>().ConfigureAwait(false);
        if (row is null)
            return null;
        var (objects, connections) = await ReadChildrenAsync(results).ConfigureAwait(false);
        var document = row.ToDocument(objects, connections);
        var repeatRow = await results.ReadSingleOrDefaultAsync<PageLoadRow>().ConfigureAwait(false);
        var (repeatObjects, repeatConnections) = await ReadChildrenAsync(results).ConfigureAwait(false);
        document.RepeatView = repeatRow?.ToDocument(repeatObjects, repeatConnections);
        return document;
    }

    /// <summary>The next two result sets: a load's objects and connections, in id order.</summary>
    private static async Task<(List<ObjectRecord> Objects, List<ConnectionRecord> Connections)> ReadChildrenAsync(SqlMapper.GridReader results)
    {
        var objects = (await results.ReadAsync<ObjectRow>().ConfigureAwait(false)).Select(o => o.ToRecord()).ToList();
        var connections = (await results.ReadAsync<ConnectionRow>().ConfigureAwait(false)).Select(c => c.ToRecord()).ToList();
        return (objects, connections);
    }
}
