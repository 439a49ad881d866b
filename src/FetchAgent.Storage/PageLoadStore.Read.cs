using Dapper;
using FetchAgent.Engine;
using FetchAgent.Engine.Timeline;
using FetchAgent.Storage.Rows;

namespace FetchAgent.Storage;

/// <summary>Reading page loads back: one document, the filtered list, trends.</summary>
public sealed partial class PageLoadStore
{
    private const string SummaryColumns =
        "id, url, final_url, started_at, status, error, strategy, perceived_ms, actual_ms, start_render_ms, object_count, connection_count, bytes, concurrent_loads";

    public async Task<PageLoadDocument?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        const string sql =
            $"SELECT id, {PageLoadRow.Columns} FROM page_loads WHERE id = @id; " +
            "SELECT * FROM objects WHERE page_load_id = @id ORDER BY id; " +
            "SELECT * FROM connections WHERE page_load_id = @id ORDER BY id;";
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // One read transaction: the three selects see one snapshot even while the load is being completed.
        await using var transaction = connection.BeginTransaction(deferred: true);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(sql, new { id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var row = await results.ReadSingleOrDefaultAsync<PageLoadRow>().ConfigureAwait(false);
        if (row is null)
            return null;
        var objects = (await results.ReadAsync<ObjectRow>().ConfigureAwait(false)).Select(o => o.ToRecord()).ToList();
        var connections = (await results.ReadAsync<ConnectionRow>().ConfigureAwait(false)).Select(c => c.ToRecord()).ToList();
        return row.ToDocument(objects, connections);
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
        Equal("host", query.Host?.ToLowerInvariant());
        Equal("status", query.Status is { } s ? StoredText.Enum(s) : null);
        if (query.Since is not null)
            filters.Add("started_at >= @since");
        if (query.Until is not null)
            filters.Add("started_at < @until");
        if (cursor is not null)
            // The first term bounds the index range; the second excludes the cursor's own row and its older twins.
            filters.Add("started_at <= @cursorStartedAt AND (started_at < @cursorStartedAt OR id < @cursorId)");

        var where = filters.Count == 0 ? "" : " WHERE " + string.Join(" AND ", filters);
        var sql = $"SELECT {SummaryColumns} FROM page_loads{where} ORDER BY started_at DESC, id DESC LIMIT @take;";
        var parameters = new
        {
            url = query.Url,
            host = query.Host?.ToLowerInvariant(),
            status = query.Status is { } st ? StoredText.Enum(st) : null,
            since = query.Since is { } since ? StoredText.Time(since) : null,
            until = query.Until is { } until ? StoredText.Time(until) : null,
            cursorStartedAt = cursor?.StartedAtText,
            cursorId = cursor?.Id ?? 0,
            take = limit + 1,
        };

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

    /// <summary>Per strategy (the contract's order), over completed and partial loads of <paramref name="url"/>.</summary>
    public async Task<IReadOnlyList<TrendRow>> TrendsAsync(string url, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        const string sql = "SELECT strategy, perceived_ms, actual_ms FROM page_loads WHERE url = @url AND status IN ('completed', 'partial');";
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<PageLoadRow>(new CommandDefinition(sql, new { url }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows
            .GroupBy(r => r.Strategy, StringComparer.Ordinal)
            .OrderBy(g => StoredText.TryEnum<ConnectionStrategy>(g.Key, out var known) ? (int)known : int.MaxValue)
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var perceived = Median(g.Select(r => r.PerceivedMs));
                var actual = Median(g.Select(r => r.ActualMs));
                return new TrendRow(g.Key, g.Count(), perceived, actual, actual == 0 ? 0 : perceived / actual);
            })
            .ToList();
    }

    /// <summary>The middle value; for an even count, the mean of the two middle values.</summary>
    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
            return 0;
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
