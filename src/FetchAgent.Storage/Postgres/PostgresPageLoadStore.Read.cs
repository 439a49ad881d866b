using Dapper;
using FetchAgent.Engine.Model;
using FetchAgent.Storage.Rows;

namespace FetchAgent.Storage.Postgres;

/// <summary>Reading page loads back from PostgreSQL: one document (one snapshot), the filtered list, trends.</summary>
public sealed partial class PostgresPageLoadStore
{
    public Task<PageLoadDocument?> GetAsync(long id, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(async (connection, transaction, ct) =>
        {
            await using var results = await connection.QueryMultipleAsync(new CommandDefinition(DocumentReads.Sql, new { id }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            return await DocumentReads.ReadAsync(results).ConfigureAwait(false);
        }, cancellationToken);

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
        var rows = await connection.QueryAsync<PageLoadRow>(new CommandDefinition(
            PageLoadListing.Sql(filters), listing.Parameters(), cancellationToken: cancellationToken)).ConfigureAwait(false);
        return listing.Page(rows.ToList());
    }

    public async Task<IReadOnlyList<TrendPoint>> TrendPointsAsync(string url, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<PageLoadRow>(new CommandDefinition(PageLoadReads.TrendPointsSql, new { url }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return PageLoadReads.TrendPoints(rows);
    }

    public async Task<IReadOnlyList<TrendRow>> TrendsAsync(string url, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<PageLoadRow>(new CommandDefinition(PageLoadReads.TrendsSql, new { url }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return PageLoadReads.Trends(rows);
    }
}
