using Dapper;
using FetchAgent.Engine.Model;
using FetchAgent.Storage.Rows;

namespace FetchAgent.Storage.Postgres;

/// <summary>Reading page loads back from PostgreSQL: one document (one snapshot), the filtered list, trends.</summary>
public sealed partial class PostgresPageLoadStore
{
    public Task<PageLoadDocument?> GetAsync(long id, CancellationToken cancellationToken = default) =>
        _database.ReadAsync((connection, transaction, ct) => DocumentReads.ReadAsync(connection, transaction, id, ct), cancellationToken);

    public async Task<PageLoadPage> ListAsync(PageLoadQuery query, CancellationToken cancellationToken = default)
    {
        var listing = new PageLoadListing(query);

        // PostgreSQL's planner has statistics, so every filter is a plain comparison and it picks the index.
        var filters = new List<string>();
        if (query.Url is not null)
            filters.Add("url = @url");
        if (listing.Host is not null)
            filters.Add("host = @host");
        if (query.Status is not null)
            filters.Add("status = @status");
        filters.AddRange(listing.RangeFilters());
        if (listing.Cursor is not null)
            filters.Add("(started_at, id) < (@cursorStartedAt, @cursorId)");

        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await listing.ReadAsync(connection, filters, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<TrendPoint>> TrendPointsAsync(string url, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await PageLoadReads.TrendPointsAsync(connection, url, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<TrendRow>> TrendsAsync(string url, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await PageLoadReads.TrendsAsync(connection, url, cancellationToken).ConfigureAwait(false);
    }
}
