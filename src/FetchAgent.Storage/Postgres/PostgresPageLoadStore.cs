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

    private static readonly RowBatch<ObjectRow> InsertObjects = new(Tables.Objects);

    private static readonly RowBatch<ConnectionRow> InsertConnections = new(Tables.Connections);

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
        var rows = DocumentRows.Of(document, document.Id);
        var repeat = DocumentRows.OfRepeatView(document);
        var repeatId = await _database.WriteAsync(async (connection, transaction, ct) =>
        {
            var updated = await connection.ExecuteAsync(new CommandDefinition(PageLoadWrites.UpdateRow, rows.Row, transaction, cancellationToken: ct)).ConfigureAwait(false);
            if (updated == 0)
                throw new KeyNotFoundException($"page load {document.Id} is not in the database");
            await connection.ExecuteAsync(new CommandDefinition(PageLoadWrites.DeleteChildren, new { id = document.Id }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            await InsertChildrenAsync(connection, transaction, rows, ct).ConfigureAwait(false);
            return await InsertRepeatAsync(connection, transaction, document.Id, repeat, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        PageLoadWrites.AssignRepeatViewId(document, repeatId);
    }

    public async Task<long> InsertAsync(PageLoadDocument document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        _agent?.Stamp(document);
        var rows = DocumentRows.Of(document, 0);
        var repeat = DocumentRows.OfRepeatView(document);
        var (id, repeatId) = await _database.WriteAsync(async (connection, transaction, ct) =>
        {
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(InsertRow, rows.Row, transaction, cancellationToken: ct)).ConfigureAwait(false);
            await InsertChildrenAsync(connection, transaction, rows.For(id), ct).ConfigureAwait(false);
            var repeatId = repeat is null ? null : await InsertRepeatAsync(connection, transaction, id, repeat, ct).ConfigureAwait(false);
            return (id, repeatId);
        }, cancellationToken).ConfigureAwait(false);
        document.Id = id;
        PageLoadWrites.AssignRepeatViewId(document, repeatId);
        return id;
    }

    public Task<bool> DeleteAsync(long id, CancellationToken cancellationToken = default) =>
        _database.WriteAsync(async (connection, transaction, ct) =>
            await connection.ExecuteAsync(new CommandDefinition(PageLoadWrites.Delete, new { id }, transaction, cancellationToken: ct)).ConfigureAwait(false) > 0,
            cancellationToken);

    /// <summary>
    /// Marks this agent's loads still <c>running</c> as <c>failed</c> with the reason (after its crash or at its
    /// shutdown); returns how many. Other agents' running loads are theirs: an agent starting beside them must not
    /// end them. Loads taken from the queue are left to their lease (<see cref="PostgresWorkQueue"/>).
    /// </summary>
    public Task<int> FailRunningAsync(string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reason);
        const string sql = PageLoadWrites.FailRunning +
            // A load the queue still holds is not failed here: its lease runs out and another agent runs it again.
            "WHERE status = 'running' AND agent IS NOT DISTINCT FROM @agent " +
            "AND NOT EXISTS (SELECT 1 FROM load_queue q WHERE q.page_load_id = page_loads.id);";
        return _database.WriteAsync((connection, transaction, ct) =>
            connection.ExecuteAsync(new CommandDefinition(sql, new { reason, agent = _agent?.Name }, transaction, cancellationToken: ct)), cancellationToken);
    }

    /// <summary>Issue 15: the repeat view is a row of its own whose repeat_of is its first view's id (a rewrite replaces it).</summary>
    private static async Task<long?> InsertRepeatAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long firstViewId, DocumentRows? repeat, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition(PageLoadWrites.DeleteRepeatView, new { id = firstViewId }, transaction, cancellationToken: ct)).ConfigureAwait(false);
        if (repeat is null)
            return null;
        repeat.Row.RepeatOf = firstViewId;
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(InsertRow, repeat.Row, transaction, cancellationToken: ct)).ConfigureAwait(false);
        await InsertChildrenAsync(connection, transaction, repeat.For(id), ct).ConfigureAwait(false);
        return id;
    }

    private static async Task InsertChildrenAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DocumentRows children, CancellationToken ct)
    {
        await InsertObjects.RunAsync(connection, transaction, children.Objects, ct).ConfigureAwait(false);
        await InsertConnections.RunAsync(connection, transaction, children.Connections, ct).ConfigureAwait(false);
    }
}
