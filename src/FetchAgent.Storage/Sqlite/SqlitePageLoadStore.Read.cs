using Dapper;
using FetchAgent.Engine.Model;
using FetchAgent.Storage.Rows;

namespace FetchAgent.Storage.Sqlite;

/// <summary>Reading page loads back: one document, the filtered list, trends.</summary>
public sealed partial class SqlitePageLoadStore
{
    public async Task<PageLoadDocument?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // One read transaction: the three selects see one snapshot even while the load is being completed.
        await using var transaction = connection.BeginTransaction(deferred: true);
        return await DocumentReads.ReadAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Newest first by (startedAt, id); <c>since &lt;= startedAt &lt; until</c>; the limit is clamped to 1..<see cref="PageLoadQuery.MaxLimit"/>.</summary>
    /// <exception cref="ArgumentException">The cursor is not one this store issued (see <see cref="PageLoadCursor.TryDecode"/>).</exception>
    public async Task<PageLoadPage> ListAsync(PageLoadQuery query, CancellationToken cancellationToken = default)
    {
        var listing = new PageLoadListing(query);

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
        Equal("host", listing.Host);
        Equal("status", listing.Status);
        filters.AddRange(listing.RangeFilters());
        if (listing.Cursor is not null)
            // The first term bounds the index range; the second excludes the cursor's own row and its older twins.
            filters.Add("started_at <= @cursorStartedAt AND (started_at < @cursorStartedAt OR id < @cursorId)");

        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await listing.ReadAsync(connection, filters, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every completed or partial load FetchAgent ran of <paramref name="url"/>, oldest first: the trends chart's points.</summary>
    public async Task<IReadOnlyList<TrendPoint>> TrendPointsAsync(string url, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await PageLoadReads.TrendPointsAsync(connection, url, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Per strategy (the contract's order), over completed and partial loads of <paramref name="url"/>.</summary>
    public async Task<IReadOnlyList<TrendRow>> TrendsAsync(string url, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await PageLoadReads.TrendsAsync(connection, url, cancellationToken).ConfigureAwait(false);
    }
}
