using System.Data.Common;
using Dapper;
using FetchAgent.Engine.Model;
using FetchAgent.Storage.Rows;
using Microsoft.Data.Sqlite;

namespace FetchAgent.Storage.Sqlite;

/// <summary>Page loads in SQLite (Dapper, plain SQL). A finished load is written in one transaction.</summary>
/// <remarks>
/// Writes go through the database's one writer (<see cref="SqliteDatabase.WriteAsync"/>), so in this process they queue
/// in order instead of meeting on SQLite's lock. They still run in <c>BEGIN IMMEDIATE</c> transactions: the write
/// lock is taken up front, so a writer in another process (the CLI's <c>--db</c>) waits on the busy timeout instead
/// of both reading and then deadlocking on the upgrade to writing.
/// Reads of a whole document run in one (deferred) transaction, so a document is one snapshot.
/// </remarks>
public sealed partial class SqlitePageLoadStore : IPageLoadStore
{
    // The columns are Tables.PageLoads'; the id is SQLite's (INTEGER PRIMARY KEY AUTOINCREMENT), read back at once.
    private static readonly string InsertRow = $"{Tables.PageLoads.Insert}; SELECT last_insert_rowid();";

    private static readonly PreparedInsert<ObjectRow> InsertObjects = new(Tables.Objects);

    private static readonly PreparedInsert<ConnectionRow> InsertConnections = new(Tables.Connections);

    private readonly SqliteDatabase _database;
    private readonly AgentIdentity? _agent;

    /// <param name="agent">Issue 17: the agent recorded on each load stored here; none when null.</param>
    public SqlitePageLoadStore(SqliteDatabase database, AgentIdentity? agent = null)
    {
        _database = database;
        _agent = agent;
    }

    /// <summary>Records a load that starts now with status running; returns its id.</summary>
    public async Task<long> StartAsync(string url, LoadOptions options, DateTimeOffset startedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(options);
        var row = PageLoadRow.Started(url, options, startedAt, _agent);
        return await _database.WriteAsync(async (connection, ct) =>
        {
            await using var transaction = connection.BeginTransaction(deferred: false);
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(InsertRow, row, transaction, cancellationToken: ct)).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return id;
        }, cancellationToken, ahead: true).ConfigureAwait(false); // the load waits on its id before it starts
    }

    /// <summary>Writes the finished document (its <see cref="PageLoadDocument.Id"/> set), objects and connections, in one transaction.</summary>
    /// <exception cref="KeyNotFoundException">No page load has that id (never started, or deleted meanwhile); nothing is written.</exception>
    public async Task CompleteAsync(PageLoadDocument document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        _agent?.Stamp(document);
        var rows = DocumentRows.Of(document, document.Id);
        var repeat = DocumentRows.OfRepeatView(document);
        var repeatId = await _database.WriteAsync(async (connection, ct) =>
        {
            await using var transaction = connection.BeginTransaction(deferred: false);
            var updated = await connection.ExecuteAsync(new CommandDefinition(PageLoadWrites.UpdateRow, rows.Row, transaction, cancellationToken: ct)).ConfigureAwait(false);
            if (updated == 0)
                throw new KeyNotFoundException($"page load {document.Id} is not in the database");
            await connection.ExecuteAsync(new CommandDefinition(PageLoadWrites.DeleteChildren, new { id = document.Id }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            InsertChildren(connection, transaction, rows);
            var repeatId = await InsertRepeatAsync(connection, transaction, document.Id, repeat, ct).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return repeatId;
        }, cancellationToken).ConfigureAwait(false);
        PageLoadWrites.AssignRepeatViewId(document, repeatId);
    }

    /// <summary>
    /// Issue 15: the repeat view is a page_loads row of its own whose repeat_of is its first view's id (one per first
    /// view: a rewrite replaces it). Returns its id, or null when the document has none.
    /// </summary>
    private static async Task<long?> InsertRepeatAsync(SqliteConnection connection, DbTransaction transaction, long firstViewId, DocumentRows? repeat, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition(PageLoadWrites.DeleteRepeatView, new { id = firstViewId }, transaction, cancellationToken: ct)).ConfigureAwait(false);
        if (repeat is null)
            return null;
        repeat.Row.RepeatOf = firstViewId;
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(InsertRow, repeat.Row, transaction, cancellationToken: ct)).ConfigureAwait(false);
        InsertChildren(connection, transaction, repeat.For(id));
        return id;
    }

    /// <summary>Writes a finished document that was never started in storage (the CLI's --db); sets and returns its id.</summary>
    public async Task<long> InsertAsync(PageLoadDocument document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        _agent?.Stamp(document);
        var rows = DocumentRows.Of(document, 0);
        var repeat = DocumentRows.OfRepeatView(document);
        var (id, repeatId) = await _database.WriteAsync(async (connection, ct) =>
        {
            await using var transaction = connection.BeginTransaction(deferred: false);
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(InsertRow, rows.Row, transaction, cancellationToken: ct)).ConfigureAwait(false);
            InsertChildren(connection, transaction, rows.For(id));
            var repeatId = repeat is null ? null : await InsertRepeatAsync(connection, transaction, id, repeat, ct).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return (id, repeatId);
        }, cancellationToken).ConfigureAwait(false);
        document.Id = id;
        PageLoadWrites.AssignRepeatViewId(document, repeatId);
        return id;
    }

    /// <summary>False when there was no such load.</summary>
    /// <remarks>Its objects and connections go with it (ON DELETE CASCADE); comparison rows keep their place with no page load.</remarks>
    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken = default)
    {
        return await _database.WriteAsync(async (connection, ct) =>
        {
            await using var transaction = connection.BeginTransaction(deferred: false);
            var deleted = await connection.ExecuteAsync(new CommandDefinition(
                PageLoadWrites.Delete, new { id }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return deleted > 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Marks every load still <c>running</c> as <c>failed</c> with the reason (after a crash or shutdown); returns how many.</summary>
    /// <remarks>
    /// A running load has no objects stored (they are written with the finished document), so its
    /// figures are what is there: counts of the stored objects and connections, none.
    /// </remarks>
    public async Task<int> FailRunningAsync(string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reason);
        const string sql = PageLoadWrites.FailRunning + "WHERE status = 'running';";
        return await _database.WriteAsync(async (connection, ct) =>
        {
            await using var transaction = connection.BeginTransaction(deferred: false);
            var failed = await connection.ExecuteAsync(new CommandDefinition(sql, new { reason }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return failed;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Dapper runs a list parameter as one command executed once per row: SQLite prepares the INSERT once
    /// and only rebinds values, which is what keeps a 50-object load to a few milliseconds.
    /// </summary>
    private static void InsertChildren(SqliteConnection connection, DbTransaction transaction, DocumentRows children)
    {
        InsertObjects.Run(connection, transaction, children.Objects);
        InsertConnections.Run(connection, transaction, children.Connections);
    }
}
