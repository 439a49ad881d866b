using Dapper;

namespace FetchAgent.Storage.Postgres;

/// <summary>Comparisons of strategies in PostgreSQL: which page loads ran for which strategy (the SQL of SQLite's store, in PostgreSQL's words where they differ).</summary>
public sealed class PostgresComparisonStore : IComparisonStore
{
    private static readonly string InsertComparison = $"{Tables.Comparisons.Insert} RETURNING id;";

    private readonly PostgresDatabase _database;

    public PostgresComparisonStore(PostgresDatabase database) => _database = database;

    /// <summary>
    /// Records a comparison that may sweep <paramref name="sweepOption"/> (<c>maxConnectionsPerHost</c> or
    /// <c>pipelineDepth</c>) over values: each row carries the value it ran with (null when nothing is swept).
    /// </summary>
    public async Task<long> InsertAsync(
        string url, int runs, string? sweepOption, IReadOnlyList<(string Strategy, int? SweepValue, long PageLoadId)> rows, DateTimeOffset createdAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(rows);
        return await _database.WriteAsync(async (connection, transaction, ct) =>
        {
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                InsertComparison, ComparisonWrites.Head(url, runs, sweepOption, createdAt), transaction, cancellationToken: ct)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(ComparisonWrites.InsertRow, ComparisonWrites.Rows(id, rows), transaction, cancellationToken: ct)).ConfigureAwait(false);
            return id;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The comparison with each row's figures read from its page load; null when unknown.</summary>
    /// <remarks>A row whose page load was deleted keeps its strategy and position, with no page load id and figures 0.</remarks>
    public Task<Comparison?> GetAsync(long id, CancellationToken cancellationToken = default) =>
        _database.ReadAsync((connection, transaction, ct) => ComparisonReads.ReadAsync(connection, transaction, id, ct), cancellationToken);

    /// <summary>Past comparisons, newest first (at most <paramref name="limit"/>): what ran, not the figures.</summary>
    public async Task<IReadOnlyList<ComparisonListItem>> ListAsync(int limit, CancellationToken cancellationToken = default)
    {
        var sql =
            $"SELECT {Tables.Comparisons.SelectListOf("c")}, " +
            // Each distinct value once, in the order it first ran.
            "(SELECT string_agg(strategy, ',' ORDER BY first) FROM (SELECT strategy, min(position) AS first FROM comparison_rows r WHERE r.comparison_id = c.id GROUP BY strategy) s) AS strategies, " +
            "(SELECT string_agg(sweep_value::text, ',' ORDER BY first) FROM (SELECT sweep_value, min(position) AS first FROM comparison_rows r WHERE r.comparison_id = c.id AND sweep_value IS NOT NULL GROUP BY sweep_value) v) AS sweep_values, " +
            "(SELECT count(*) FROM comparison_rows r WHERE r.comparison_id = c.id) AS loads " +
            "FROM comparisons c ORDER BY c.created_at DESC, c.id DESC LIMIT @limit;";
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ComparisonReads.ListAsync(connection, sql, new { limit = (long)limit }, cancellationToken).ConfigureAwait(false);
    }
}
