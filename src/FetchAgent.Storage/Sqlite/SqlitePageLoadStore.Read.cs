using Dapper;
using FetchAgent.Engine.Model;
using FetchAgent.Storage.Rows;

namespace FetchAgent.Storage.Sqlite;

/// <summary>Reading page loads back: one document, the filtered list, trends.</summary>
public sealed partial class SqlitePageLoadStore
{
    // What PageLoadRow.ToSummary reads: the list leaves the document's JSON columns (options, visual progress) unread.
    private static readonly string SummaryColumns = Tables.PageLoads.Only(
        nameof(PageLoadRow.Id), nameof(PageLoadRow.Url), nameof(PageLoadRow.FinalUrl), nameof(PageLoadRow.StartedAt), nameof(PageLoadRow.Status),
        nameof(PageLoadRow.Error), nameof(PageLoadRow.Strategy), nameof(PageLoadRow.PerceivedMs), nameof(PageLoadRow.ActualMs),
        nameof(PageLoadRow.StartRenderMs), nameof(PageLoadRow.ObjectCount), nameof(PageLoadRow.ConnectionCount), nameof(PageLoadRow.Bytes),
        nameof(PageLoadRow.ConcurrentLoads), nameof(PageLoadRow.ImportedFrom), nameof(PageLoadRow.ErrorKind),
        nameof(PageLoadRow.Agent), nameof(PageLoadRow.Location));

    private static readonly string TrendPointColumns = Tables.PageLoads.Only(
        nameof(PageLoadRow.Id), nameof(PageLoadRow.StartedAt), nameof(PageLoadRow.Strategy), nameof(PageLoadRow.PerceivedMs), nameof(PageLoadRow.ActualMs));

    private static readonly string TrendColumns = Tables.PageLoads.Only(nameof(PageLoadRow.Strategy), nameof(PageLoadRow.PerceivedMs), nameof(PageLoadRow.ActualMs));

    private static readonly string GetSql =
        $"SELECT {Tables.PageLoads.SelectList} FROM page_loads WHERE id = @id; " +
        $"SELECT {Tables.Objects.SelectList} FROM objects WHERE page_load_id = @id ORDER BY id; " +
        $"SELECT {Tables.Connections.SelectList} FROM connections WHERE page_load_id = @id ORDER BY id; " +
        // Issue 15: the load's repeat view, a row of its own (at most one), with its objects and connections.
        $"SELECT {Tables.PageLoads.SelectList} FROM page_loads WHERE repeat_of = @id; " +
        $"SELECT {Tables.Objects.SelectList} FROM objects WHERE page_load_id = (SELECT id FROM page_loads WHERE repeat_of = @id) ORDER BY id; " +
        $"SELECT {Tables.Connections.SelectList} FROM connections WHERE page_load_id = (SELECT id FROM page_loads WHERE repeat_of = @id) ORDER BY id;";

    public async Task<PageLoadDocument?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // One read transaction: the three selects see one snapshot even while the load is being completed.
        await using var transaction = connection.BeginTransaction(deferred: true);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(GetSql, new { id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var row = await results.ReadSingleOrDefaultAsync<PageLoadRow>().ConfigureAwait(false);
        if (row is null)
            return null;
        var objects = (await results.ReadAsync<ObjectRow>().ConfigureAwait(false)).Select(o => o.ToRecord()).ToList();
        var connections = (await results.ReadAsync<ConnectionRow>().ConfigureAwait(false)).Select(c => c.ToRecord()).ToList();
        var document = row.ToDocument(objects, connections);
        var repeatRow = await results.ReadSingleOrDefaultAsync<PageLoadRow>().ConfigureAwait(false);
        var repeatObjects = (await results.ReadAsync<ObjectRow>().ConfigureAwait(false)).Select(o => o.ToRecord()).ToList();
        var repeatConnections = (await results.ReadAsync<ConnectionRow>().ConfigureAwait(false)).Select(c => c.ToRecord()).ToList();
        document.RepeatView = repeatRow?.ToDocument(repeatObjects, repeatConnections);
        return document;
    }

    /// <summary>Newest first by (startedAt, id); <c>since &lt;= startedAt &lt; until</c>; the limit is clamped to 1..<see cref="PageLoadQuery.MaxLimit"/>.</summary>
    /// <exception cref="ArgumentException">The cursor is not one this store issued (see <see cref="PageLoadCursor.TryDecode"/>).</exception>
    public async Task<PageLoadPage> ListAsync(PageLoadQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        PageLoadCursor? cursor = null;
        if (query.Cursor is not null && !PageLoadCursor.TryDecode(query.Cursor, out cursor))
            throw new ArgumentException($"cursor '{query.Cursor}' was not issued by this store", nameof(query));
        var limit = Math.Clamp(query.Limit, 1, PageLoadQuery.MaxLimit);

        // Exactly one of url, host, status may use its index: the most selective given. The unary + on the
        // others keeps SQLite (which has no statistics here) from walking e.g. every 'completed' row to find one URL's.
        var filters = new List<string>();
        var indexed = false;
        void Equal(string column, object? value)
        {
            if (value is null)
                return;
            filters.Add(indexed ? $"+{column} = @{column}" : $"{column} = @{column}");
            indexed = true;
        }

        Equal("url", query.Url);
        var (host, port) = PageLoadReads.HostAndPort(query.Host);
        Equal("host", host);
        Equal("status", query.Status is { } s ? StoredText.Enum(s) : null);
        // A host with a port (127.0.0.1:8081) is its host column plus the URL's authority, matched as a prefix.
        var hostPrefixes = port is null ? [] : PageLoadReads.AuthorityPrefixes(host!, port.Value);
        if (hostPrefixes.Count > 0)
            filters.Add("(" + string.Join(" OR ", hostPrefixes.Select((_, i) => $"url LIKE @hostPrefix{i} ESCAPE '\\'")) + ")");
        if (query.Since is not null)
            filters.Add("started_at >= @since");
        if (query.Until is not null)
            filters.Add("started_at < @until");
        if (cursor is not null)
            // The first term bounds the index range; the second excludes the cursor's own row and its older twins.
            filters.Add("started_at <= @cursorStartedAt AND (started_at < @cursorStartedAt OR id < @cursorId)");

        // A repeat view is shown with its first view, never as a load of its own in the list.
        filters.Add("repeat_of IS NULL");
        var where = " WHERE " + string.Join(" AND ", filters);
        var sql = $"SELECT {SummaryColumns} FROM page_loads{where} ORDER BY started_at DESC, id DESC LIMIT @take;";
        var parameters = new DynamicParameters(new
        {
            url = query.Url,
            host,
            status = query.Status is { } st ? StoredText.Enum(st) : null,
            since = query.Since is { } since ? StoredText.Time(since) : null,
            until = query.Until is { } until ? StoredText.Time(until) : null,
            cursorStartedAt = cursor is null ? null : StoredText.Time(cursor.StartedAt),
            cursorId = cursor?.Id ?? 0,
            take = limit + 1,
        });
        for (var i = 0; i < hostPrefixes.Count; i++)
            parameters.Add($"hostPrefix{i}", hostPrefixes[i]);

        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = (await connection.QueryAsync<PageLoadRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
        // One row more than asked says whether there is a next page without a count(*).
        string? next = null;
        if (rows.Count > limit)
        {
            rows.RemoveAt(rows.Count - 1);
            var last = rows[^1];
            next = new PageLoadCursor(StoredText.Time(last.StartedAt), last.Id).Encode();
        }

        return new PageLoadPage(rows.Select(r => r.ToSummary()).ToList(), next);
    }

    /// <summary>Every completed or partial load FetchAgent ran of <paramref name="url"/>, oldest first: the trends chart's points.</summary>
    public async Task<IReadOnlyList<TrendPoint>> TrendPointsAsync(string url, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        var sql = $"SELECT {TrendPointColumns} FROM page_loads " +
            "WHERE url = @url AND status IN ('completed', 'partial') AND imported_from IS NULL AND repeat_of IS NULL ORDER BY started_at, id;";
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<PageLoadRow>(new CommandDefinition(sql, new { url }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new TrendPoint(r.Id, StoredText.Time(r.StartedAt), r.Strategy, r.PerceivedMs, r.ActualMs)).ToList();
    }

    /// <summary>Per strategy (the contract's order), over completed and partial loads of <paramref name="url"/>.</summary>
    public async Task<IReadOnlyList<TrendRow>> TrendsAsync(string url, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        var sql = $"SELECT {TrendColumns} FROM page_loads WHERE url = @url AND status IN ('completed', 'partial') AND imported_from IS NULL AND repeat_of IS NULL;";
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<PageLoadRow>(new CommandDefinition(sql, new { url }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return PageLoadReads.Trends(rows);
    }
}
