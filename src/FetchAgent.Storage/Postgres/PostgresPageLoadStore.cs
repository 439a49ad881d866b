using Dapper;
using FetchAgent.Engine.Model;
using FetchAgent.Storage.Rows;
using Npgsql;

namespace FetchAgent.Storage.Postgres;

/// <summary>
/// Page loads in PostgreSQL (Dapper, plain SQL), the same rows as SQLite's (<see cref="Tables"/>). A finished load is
/// written in one transaction; several agents write side by side, each naming itself on its loads.
/// </summary>
public sealed partial class PostgresPageLoadStore : IPageLoadStore
{
    private static readonly string InsertRow = $"{Tables.PageLoads.Insert} RETURNING id;";

    private static readonly string UpdateRow = $"UPDATE page_loads SET {Tables.PageLoads.Assignments} WHERE id = @Id;";

    private static readonly RowBatch<ObjectRow> InsertObjects = new(Tables.Objects);

    private static readonly RowBatch<ConnectionRow> InsertConnections = new(Tables.Connections);

    private const string DeleteChildren =
        "DELETE FROM objects WHERE page_load_id = @id; DELETE FROM connections WHERE page_load_id = @id;";

    private readonly PostgresDatabase _database;
    private readonly AgentIdentity? _agent;

    /// <param name="agent">The agent recorded on each load stored here (none when null); it fails only its own running loads.</param>
    public PostgresPageLoadStore(PostgresDatabase database, AgentIdentity? agent = null)
    {
        _database = database;
        _agent = agent;
    }

    public async Task<long> StartAsync(string url, LoadOptions options, DateTimeOffset startedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(options);
        var row = PageLoadRow.Started(url, options, startedAt, _agent);
        return await _database.WriteAsync((connection, transaction, ct) =>
            connection.ExecuteScalarAsync<long>(new CommandDefinition(InsertRow, row, transaction, cancellationToken: ct)), cancellationToken).ConfigureAwait(false);
    }

    public async Task CompleteAsync(PageLoadDocument document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        _agent?.Stamp(document);
        var row = PageLoadRow.From(document, document.Id);
        var children = Children.Of(document, document.Id);
        var repeat = RepeatRows.Of(document);
        var repeatId = await _database.WriteAsync(async (connection, transaction, ct) =>
        {
            var updated = await connection.ExecuteAsync(new CommandDefinition(UpdateRow, row, transaction, cancellationToken: ct)).ConfigureAwait(false);
            if (updated == 0)
                throw new KeyNotFoundException($"page load {document.Id} is not in the database");
            await connection.ExecuteAsync(new CommandDefinition(DeleteChildren, new { id = document.Id }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            await InsertChildrenAsync(connection, transaction, children, ct).ConfigureAwait(false);
            return await InsertRepeatAsync(connection, transaction, document.Id, repeat, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        if (document.RepeatView is { } repeatView && repeatId is { } assigned)
            repeatView.Id = assigned;
    }

    public async Task<long> InsertAsync(PageLoadDocument document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        _agent?.Stamp(document);
        var row = PageLoadRow.From(document, 0);
        var children = Children.Of(document, 0);
        var repeat = RepeatRows.Of(document);
        var (id, repeatId) = await _database.WriteAsync(async (connection, transaction, ct) =>
        {
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(InsertRow, row, transaction, cancellationToken: ct)).ConfigureAwait(false);
            await InsertChildrenAsync(connection, transaction, children.For(id), ct).ConfigureAwait(false);
            var repeatId = repeat is null ? null : await InsertRepeatAsync(connection, transaction, id, repeat, ct).ConfigureAwait(false);
            return (id, repeatId);
        }, cancellationToken).ConfigureAwait(false);
        document.Id = id;
        if (document.RepeatView is { } repeatView && repeatId is { } assigned)
            repeatView.Id = assigned;
        return id;
    }

    public Task<bool> DeleteAsync(long id, CancellationToken cancellationToken = default) =>
        _database.WriteAsync(async (connection, transaction, ct) =>
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM page_loads WHERE id = @id;", new { id }, transaction, cancellationToken: ct)).ConfigureAwait(false) > 0,
            cancellationToken);

    /// <summary>
    /// Marks this agent's loads still <c>running</c> as <c>failed</c> with the reason (after its crash or at its
    /// shutdown); returns how many. Other agents' running loads are theirs: an agent starting beside them must not
    /// end them. Loads taken from the queue are left to their lease (<see cref="PostgresWorkQueue"/>).
    /// </summary>
    public Task<int> FailRunningAsync(string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reason);
        const string sql =
            "UPDATE page_loads SET status = 'failed', error = @reason, " +
            "object_count = (SELECT count(*) FROM objects o WHERE o.page_load_id = page_loads.id), " +
            "connection_count = (SELECT count(*) FROM connections c WHERE c.page_load_id = page_loads.id) " +
            // A load the queue still holds is not failed here: its lease runs out and another agent runs it again.
            "WHERE status = 'running' AND agent IS NOT DISTINCT FROM @agent " +
            "AND NOT EXISTS (SELECT 1 FROM load_queue q WHERE q.page_load_id = page_loads.id);";
        return _database.WriteAsync((connection, transaction, ct) =>
            connection.ExecuteAsync(new CommandDefinition(sql, new { reason, agent = _agent?.Name }, transaction, cancellationToken: ct)), cancellationToken);
    }

    private sealed record RepeatRows(PageLoadRow Row, Children Children)
    {
        public static RepeatRows? Of(PageLoadDocument document) =>
            document.RepeatView is { } repeat ? new RepeatRows(PageLoadRow.From(repeat, 0), Children.Of(repeat, 0)) : null;
    }

    /// <summary>Issue 15: the repeat view is a row of its own whose repeat_of is its first view's id (a rewrite replaces it).</summary>
    private static async Task<long?> InsertRepeatAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long firstViewId, RepeatRows? repeat, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM page_loads WHERE repeat_of = @id;", new { id = firstViewId }, transaction, cancellationToken: ct)).ConfigureAwait(false);
        if (repeat is null)
            return null;
        repeat.Row.RepeatOf = firstViewId;
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(InsertRow, repeat.Row, transaction, cancellationToken: ct)).ConfigureAwait(false);
        await InsertChildrenAsync(connection, transaction, repeat.Children.For(id), ct).ConfigureAwait(false);
        return id;
    }

    private sealed record Children(List<ObjectRow> Objects, List<ConnectionRow> Connections)
    {
        public static Children Of(PageLoadDocument document, long id) => new(
            document.Objects.Select(o => ObjectRow.From(id, o)).ToList(),
            document.Connections.Select(c => ConnectionRow.From(id, c)).ToList());

        public Children For(long id)
        {
            foreach (var o in Objects)
                o.PageLoadId = id;
            foreach (var c in Connections)
                c.PageLoadId = id;
            return this;
        }
    }

    private static async Task InsertChildrenAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Children children, CancellationToken ct)
    {
        await InsertObjects.RunAsync(connection, transaction, children.Objects, ct).ConfigureAwait(false);
        await InsertConnections.RunAsync(connection, transaction, children.Connections, ct).ConfigureAwait(false);
    }
}
