using Dapper;

namespace FetchAgent.Storage.Sqlite;

/// <summary>Comparisons of strategies in SQLite: which page loads ran for which strategy.</summary>
public sealed class SqliteComparisonStore : IComparisonStore
{
    private static readonly string InsertComparison = $"{Tables.Comparisons.Insert}; SELECT last_insert_rowid();";

    private readonly SqliteDatabase _database;

    public SqliteComparisonStore(SqliteDatabase database) => _database = database;

    /// <summary>
    /// Records a comparison that may sweep <paramref name="sweepOption"/> (<c>maxConnectionsPerHost</c> or
    /// <c>pipelineDepth</c>) over values: each row carries the value it ran with (null when nothing is swept).
    /// </summary>
    public async Task<long> InsertAsync(
        string url, int runs, string? sweepOption, IReadOnlyList<(string Strategy, int? SweepValue, long PageLoadId)> rows, DateTimeOffset createdAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(rows);
        return await _database.WriteAsync(async (connection, ct) =>
        {
            await using var transaction = connection.BeginTransaction(deferred: false);
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                InsertComparison, ComparisonWrites.Head(url, runs, sweepOption, createdAt), transaction, cancellationToken: ct)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(ComparisonWrites.InsertRow, ComparisonWrites.Rows(id, rows), transaction, cancellationToken: ct)).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return id;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The comparison with each row's figures read from its page load; null when unknown.</summary>
    /// <remarks>A row whose page load was deleted keeps its strategy and position, with no page load id and figures 0.</remarks>
    public async Task<Comparison?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: true);
        return await ComparisonReads.ReadAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Past comparisons, newest first (at most <paramref name="limit"/>): what ran, not the figures.</summary>
    public async Task<IReadOnlyList<ComparisonListItem>> ListAsync(int limit, CancellationToken cancellationToken = default)
    {
        var sql =
            $"SELECT {Tables.Comparisons.SelectListOf("c")}, " +
            "(SELECT group_concat(strategy, ',') FROM (SELECT DISTINCT strategy FROM comparison_rows r WHERE r.comparison_id = c.id ORDER BY position)) AS strategies, " +
            "(SELECT group_concat(sweep_value, ',') FROM (SELECT DISTINCT sweep_value FROM comparison_rows r WHERE r.comparison_id = c.id AND sweep_value IS NOT NULL ORDER BY position)) AS sweep_values, " +
            "(SELECT count(*) FROM comparison_rows r WHERE r.comparison_id = c.id) AS loads " +
            "FROM comparisons c ORDER BY c.created_at DESC, c.id DESC LIMIT @limit;";
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ComparisonReads.ListAsync(connection, sql, new { limit }, cancellationToken).ConfigureAwait(false);
    }
}
