using System.Data.Common;
using Dapper;
using FetchAgent.Storage.Rows;

namespace FetchAgent.Storage;

/// <summary>
/// One page of <see cref="IPageLoadStore.ListAsync"/> as both databases read it: the query's cursor and limit checked,
/// its host filter split, the filters whose SQL is the same in both, the parameters, and the page made of the rows
/// read. Each store writes the filters in its own words (the equality filters, the cursor's bound) around these.
/// </summary>
internal sealed class PageLoadListing
{
    // What PageLoadRow.ToSummary reads: the list leaves the document's JSON columns (options, visual progress) unread.
    private static readonly string SummaryColumns = Tables.PageLoads.Only(
        nameof(PageLoadRow.Id), nameof(PageLoadRow.Url), nameof(PageLoadRow.FinalUrl), nameof(PageLoadRow.StartedAt), nameof(PageLoadRow.Status),
        nameof(PageLoadRow.Error), nameof(PageLoadRow.Strategy), nameof(PageLoadRow.PerceivedMs), nameof(PageLoadRow.ActualMs),
        nameof(PageLoadRow.StartRenderMs), nameof(PageLoadRow.ObjectCount), nameof(PageLoadRow.ConnectionCount), nameof(PageLoadRow.Bytes),
        nameof(PageLoadRow.ConcurrentLoads), nameof(PageLoadRow.ImportedFrom), nameof(PageLoadRow.ErrorKind),
        nameof(PageLoadRow.Agent), nameof(PageLoadRow.Location));

    private readonly PageLoadQuery _query;
    private readonly List<string> _hostPrefixes;

    /// <exception cref="ArgumentException">The cursor is not one this store issued (see <see cref="PageLoadCursor.TryDecode"/>).</exception>
    public PageLoadListing(PageLoadQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        PageLoadCursor? cursor = null;
        if (query.Cursor is not null && !PageLoadCursor.TryDecode(query.Cursor, out cursor))
            throw new ArgumentException($"cursor '{query.Cursor}' was not issued by this store", nameof(query));
        _query = query;
        Cursor = cursor;
        Limit = Math.Clamp(query.Limit, 1, PageLoadQuery.MaxLimit);
        int? port;
        (Host, port) = PageLoadReads.HostAndPort(query.Host);
        _hostPrefixes = port is null ? [] : PageLoadReads.AuthorityPrefixes(Host!, port.Value);
    }

    /// <summary>The previous page's last row (<c>@cursorStartedAt</c>, <c>@cursorId</c>), or null for the first page.</summary>
    public PageLoadCursor? Cursor { get; }

    /// <summary>The query's limit clamped to 1..<see cref="PageLoadQuery.MaxLimit"/>.</summary>
    public int Limit { get; }

    /// <summary>The host column's value of the host filter (<c>@host</c>), without its port.</summary>
    public string? Host { get; }

    /// <summary>The status filter as stored (<c>@status</c>).</summary>
    public string? Status => _query.Status is { } status ? StoredText.Enum(status) : null;

    /// <summary>
    /// The filters after the equality ones and before the cursor's, the same SQL in both databases: a host with a port
    /// (127.0.0.1:8081) is its host column plus the URL's authority, matched as a prefix; then the time range.
    /// </summary>
    public IEnumerable<string> RangeFilters()
    {
        if (_hostPrefixes.Count > 0)
            yield return "(" + string.Join(" OR ", _hostPrefixes.Select((_, i) => $"url LIKE @hostPrefix{i} ESCAPE '\\'")) + ")";
        if (_query.Since is not null)
            yield return "started_at >= @since";
        if (_query.Until is not null)
            yield return "started_at < @until";
    }

    /// <summary>
    /// The page: the loads that pass <paramref name="filters"/> and, last, the filter every list has (a repeat view is
    /// shown with its first view, never as a load of its own), newest first by (started_at, id).
    /// </summary>
    public async Task<PageLoadPage> ReadAsync(DbConnection connection, List<string> filters, CancellationToken cancellationToken)
    {
        filters.Add("repeat_of IS NULL");
        var sql = $"SELECT {SummaryColumns} FROM page_loads WHERE {string.Join(" AND ", filters)} ORDER BY started_at DESC, id DESC LIMIT @take;";
        var rows = await connection.QueryAsync<PageLoadRow>(new CommandDefinition(sql, Parameters(), cancellationToken: cancellationToken)).ConfigureAwait(false);
        return Page(rows.ToList());
    }

    /// <summary>Every parameter the filters may name.</summary>
    private DynamicParameters Parameters()
    {
        var parameters = new DynamicParameters(new
        {
            url = _query.Url,
            host = Host,
            status = Status,
            since = _query.Since is { } since ? StoredText.Time(since) : null,
            until = _query.Until is { } until ? StoredText.Time(until) : null,
            cursorStartedAt = Cursor is null ? null : StoredText.Time(Cursor.StartedAt),
            cursorId = Cursor?.Id ?? 0,
            take = (long)Limit + 1,
        });
        for (var i = 0; i < _hostPrefixes.Count; i++)
            parameters.Add($"hostPrefix{i}", _hostPrefixes[i]);
        return parameters;
    }

    /// <summary>The page of <paramref name="rows"/>: one row more than the limit says there is a next page, without a count(*).</summary>
    private PageLoadPage Page(List<PageLoadRow> rows)
    {
        string? next = null;
        if (rows.Count > Limit)
        {
            rows.RemoveAt(rows.Count - 1);
            var last = rows[^1];
            next = new PageLoadCursor(StoredText.Time(last.StartedAt), last.Id).Encode();
        }

        return new PageLoadPage(rows.Select(r => r.ToSummary()).ToList(), next);
    }
}
