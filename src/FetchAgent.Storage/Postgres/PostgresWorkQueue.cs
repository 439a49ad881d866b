using System.Text.Json;
using Dapper;
using FetchAgent.Engine.Model;
using FetchAgent.Storage.Rows;
using Npgsql;

namespace FetchAgent.Storage.Postgres;

/// <summary>
/// The work queue in PostgreSQL (<c>load_queue</c>, migrations/postgresql/0002): agents take rows with
/// <c>FOR UPDATE SKIP LOCKED</c>, so two agents never take one load and neither waits on the other's lock; leases
/// run on the database's clock. A new load is announced with <c>NOTIFY fetchagent_queue</c>, so idle agents take it
/// at once instead of at their next poll.
/// </summary>
internal sealed class PostgresWorkQueue(PostgresDatabase database, AgentIdentity agent) : IWorkQueue, IAsyncDisposable
{
    public const string Channel = "fetchagent_queue";

    /// <summary>The payload that tells the agents load ID was deleted while it ran: <c>cancel:ID</c>.</summary>
    private const string CancelPrefix = "cancel:";

    private static readonly string InsertRow = $"{Tables.PageLoads.Insert} RETURNING id;";

    private readonly SemaphoreSlim _work = new(0, 1);
    private PostgresNotifications.Subscription? _subscription;

    public Task<long> EnqueueAsync(string url, LoadOptions options, DateTimeOffset enqueuedAt, string? wantAgent, string? wantLocation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(options);
        // The row names no agent until one takes the load.
        var row = PageLoadRow.Started(url, options, enqueuedAt);
        return database.WriteAsync(async (connection, transaction, ct) =>
        {
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(InsertRow, row, transaction, cancellationToken: ct)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO load_queue (page_load_id, url, options, want_agent, want_location, enqueued_at) VALUES (@id, @url, @options, @wantAgent, @wantLocation, @enqueuedAt); " +
                $"SELECT pg_notify('{Channel}', @idText);",
                new { id, url, options = row.Options, wantAgent, wantLocation, enqueuedAt = enqueuedAt.ToUniversalTime(), idText = id.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                transaction, cancellationToken: ct)).ConfigureAwait(false);
            return id;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<QueuedLoad>> TakeAsync(int max, TimeSpan lease, int maxAttempts, CancellationToken cancellationToken = default)
    {
        if (max <= 0)
            return Task.FromResult<IReadOnlyList<QueuedLoad>>([]);
        const string take =
            "WITH ready AS (" +
            "  SELECT page_load_id FROM load_queue" +
            "  WHERE (lease_until IS NULL OR lease_until < now()) AND attempts < @maxAttempts" +
            "    AND (want_agent IS NULL OR want_agent = @agent) AND (want_location IS NULL OR want_location = @location)" +
            "  ORDER BY enqueued_at, page_load_id LIMIT @max FOR UPDATE SKIP LOCKED) " +
            "UPDATE load_queue q SET agent = @agent, lease_until = now() + make_interval(secs => @leaseSeconds), attempts = q.attempts + 1 " +
            "FROM ready WHERE q.page_load_id = ready.page_load_id " +
            "RETURNING q.page_load_id AS id, q.url, q.options, q.attempts;";
        return database.WriteAsync(async (connection, transaction, ct) =>
        {
            var taken = (await connection.QueryAsync<TakenRow>(new CommandDefinition(take, new
            {
                maxAttempts = (long)maxAttempts,
                agent = agent.Name,
                location = agent.Location,
                max = (long)max,
                leaseSeconds = lease.TotalSeconds,
            }, transaction, cancellationToken: ct)).ConfigureAwait(false)).ToList();
            if (taken.Count > 0)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE page_loads SET agent = @agent, location = @location WHERE id = ANY(@ids);",
                    new { agent = agent.Name, location = agent.Location, ids = taken.Select(t => t.Id).ToArray() }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            }

            return (IReadOnlyList<QueuedLoad>)taken
                .OrderBy(t => t.Id)
                .Select(t => new QueuedLoad(t.Id, t.Url, JsonSerializer.Deserialize<LoadOptions>(t.Options, DocumentJson.Options)!, checked((int)t.Attempts)))
                .ToList();
        }, cancellationToken);
    }

    public Task<int> RenewAsync(TimeSpan lease, CancellationToken cancellationToken = default) =>
        database.WriteAsync((connection, transaction, ct) => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE load_queue SET lease_until = now() + make_interval(secs => @leaseSeconds) WHERE agent = @agent;",
            new { agent = agent.Name, leaseSeconds = lease.TotalSeconds }, transaction, cancellationToken: ct)), cancellationToken);

    /// <remarks>Announced too: the agent that ran it has room again, and so takes the next load at once.</remarks>
    public Task DoneAsync(long id, CancellationToken cancellationToken = default) =>
        database.WriteAsync((connection, transaction, ct) => connection.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM load_queue WHERE page_load_id = @id; SELECT pg_notify('{Channel}', '');", new { id }, transaction, cancellationToken: ct)), cancellationToken);

    public Task<int> FailExpiredAsync(int maxAttempts, CancellationToken cancellationToken = default)
    {
        // One statement: the dead rows leave the queue and their loads, if still running, become failed.
        const string sql =
            "WITH dead AS (" +
            "  DELETE FROM load_queue WHERE lease_until < now() AND attempts >= @maxAttempts RETURNING page_load_id, agent, attempts" +
            "), failed AS (" +
            "  UPDATE page_loads p SET status = 'failed', error_kind = 'internal', " +
            "    error = 'agent ' || dead.agent || ' stopped renewing its lease while it ran the load (attempt ' || dead.attempts || ' of ' || @maxAttempts || ')' " +
            "  FROM dead WHERE p.id = dead.page_load_id AND p.status = 'running' RETURNING p.id), " +
            // Followers of its live progress (on any agent) end now, with the failed document.
            "  gone AS (DELETE FROM live_objects l USING failed WHERE l.page_load_id = failed.id) " +
            $"SELECT count(pg_notify('{PostgresLiveProgress.Channel}', failed.id || ':done')) FROM failed;";
        return database.WriteAsync(async (connection, transaction, ct) => checked((int)await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            sql, new { maxAttempts = (long)maxAttempts }, transaction, cancellationToken: ct)).ConfigureAwait(false)), cancellationToken);
    }

    public Task<bool> CancelAsync(long id, CancellationToken cancellationToken = default) =>
        // Its queue row and live progress go with it (ON DELETE CASCADE); the agent running it hears it and stops.
        database.WriteAsync(async (connection, transaction, ct) => await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            $"WITH gone AS (DELETE FROM page_loads WHERE id = @id AND status = 'running' RETURNING id) " +
            $"SELECT pg_notify('{Channel}', '{CancelPrefix}' || gone.id) IS NOT NULL FROM gone;",
            new { id }, transaction, cancellationToken: ct)).ConfigureAwait(false) is not null, cancellationToken);

    public IDisposable WatchCancellations(Action<long> cancelled) =>
        database.Notifications.Subscribe(Channel, payload =>
        {
            if (payload.StartsWith(CancelPrefix, StringComparison.Ordinal) &&
                long.TryParse(payload.AsSpan(CancelPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
                cancelled(id);
        }, () => { });

    /// <remarks>
    /// The notification comes through the agent's one listening session (<see cref="PostgresNotifications"/>); while
    /// it is broken this is a poll every <paramref name="timeout"/>, and its return counts as a notification, since
    /// loads may have been queued meanwhile.
    /// </remarks>
    public async Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        _subscription ??= database.Notifications.Subscribe(Channel, _ => Wake(), Wake);
        await _work.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>At most one wake-up is kept: the worker takes everything ready when it wakes.</summary>
    private void Wake()
    {
        lock (_work)
        {
            if (_work.CurrentCount == 0)
                _work.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        _work.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed class TakenRow
    {
        public long Id { get; set; }
        public string Url { get; set; } = "";
        public string Options { get; set; } = "{}";
        public long Attempts { get; set; }
    }
}
