using Dapper;
using FetchAgent.Engine.Model;
using FetchAgent.Storage.Rows;

namespace FetchAgent.Storage.Postgres;

/// <summary>Reading page loads back from PostgreSQL: one document (one snapshot), the filtered list, trends.</summary>
public sealed partial class PostgresPageLoadStore
{
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
        $"SELECT {Tables.PageLoads.SelectList} FROM page_loads WHERE repeat_of = @id; " +
        $"SELECT {Tables.Objects.SelectList} FROM objects WHERE page_load_id = (SELECT id FROM page_loads WHERE repeat_of = @id) ORDER BY id; " +
        $"SELECT {Tables.Connections.SelectList} FROM connections WHERE page_load_id = (SELECT id FROM page_loads WHERE repeat_of = @id) ORDER BY id;";

    public Task<PageLoadDocument?> GetAsync(long id, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(async (connection, transaction, ct) =>
        {
            await using var results = await connection.QueryMultipleAsync(new CommandDefinition(GetSql, new { id }, transaction, cancellationToken: ct)).ConfigureAwait(false);
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
            return (PageLoadDocument?)document;
        }, cancellationToken);

    public async Task<PageLoadPage> ListAsync(PageLoadQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        PageLoadCursor? cursor = null;
        if (query.Cursor is not null && !PageLoadCursor.TryDecode(query.Cursor, out cursor))
            throw new ArgumentException($"cursor '{query.Cursor}' was not issued by this store", nameof(query));
        var limit = Math.Clamp(query.Limit, 1, PageLoadQuery.MaxLimit);

        // PostgreSQL's planner has statistics, so every filter is a plain comparison and it picks the index.
        var filters = new List<string>();
        var (host, port) = PageLoadReads.HostAndPort(query.Host);
        if (query.Url is not null)
            filters.Add("url = @url");
        if (host is not null)
            filters.Add("host = @host");
        if (query.Status is not null)
            filters.Add("status = @status");
        var hostPrefixes = port is null ? [] : PageLoadReads.AuthorityPrefixes(host!, port.Value);
        if (hostPrefixes.Count > 0)
            filters.Add("(" + string.Join(" OR ", hostPrefixes.Select((_, i) => $"url LIKE @hostPrefix{i} ESCAPE '\\'")) + ")");
        if (query.Since is not null)
            filters.Add("started_at >= @since");
        if (query.Until is not null)
            filters.Add("started_at < @until");
        if (cursor is not null)
            filters.Add("(started_at, id) < (@cursorStartedAt, @cursorId)");
        filters.Add("repeat_of IS NULL");
        var sql = $"SELECT {SummaryColumns} FROM page_loads WHERE {string.Join(" AND ", filters)} ORDER BY started_at DESC, id DESC LIMIT @take;";
        var parameters = new DynamicParameters(new
        {
            url = query.Url,
            host,
            status = query.Status is { } st ? StoredText.Enum(st) : null,
            since = query.Since is { } since ? StoredText.Time(since) : null,
            until = query.Until is { } until ? StoredText.Time(until) : null,
            cursorStartedAt = cursor is null ? null : StoredText.Time(cursor.StartedAt),
            cursorId = cursor?.Id ?? 0,
            take = (long)limit + 1,
        });
        for (var i = 0; i < hostPrefixes.Count; i++)
            parameters.Add($"hostPrefix{i}", hostPrefixes[i]);

        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = (await connection.QueryAsync<PageLoadRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
        string? next = null;
        if (rows.Count > limit)
        {
            rows.RemoveAt(rows.Count - 1);
            var last = rows[^1];
            next = new PageLoadCursor(StoredText.Time(last.StartedAt), last.Id).Encode();
        }

        return new PageLoadPage(rows.Select(r => r.ToSummary()).ToList(), next);
    }

    public async Task<IReadOnlyList<TrendPoint>> TrendPointsAsync(string url, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        var sql = $"SELECT {TrendPointColumns} FROM page_loads " +
            "WHERE url = @url AND status IN ('completed', 'partial') AND imported_from IS NULL AND repeat_of IS NULL ORDER BY started_at, id;";
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<PageLoadRow>(new CommandDefinition(sql, new { url }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new TrendPoint(r.Id, StoredText.Time(r.StartedAt), r.Strategy, r.PerceivedMs, r.ActualMs)).ToList();
    }

    public async Task<IReadOnlyList<TrendRow>> TrendsAsync(string url, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        var sql = $"SELECT {TrendColumns} FROM page_loads WHERE url = @url AND status IN ('completed', 'partial') AND imported_from IS NULL AND repeat_of IS NULL;";
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<PageLoadRow>(new CommandDefinition(sql, new { url }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return PageLoadReads.Trends(rows);
    }
}
