using Dapper;
using FetchAgent.Engine.Model;
using FetchAgent.Storage;

namespace FetchAgent.Storage.Tests;

/// <summary>Issue 9, item 7: one writer per database, in the order asked; its failures reach health.</summary>
public sealed class WriterTests
{
    [Fact]
    public async Task Writes_run_one_at_a_time_in_the_order_they_were_queued()
    {
        await using var db = await TempDatabase.CreateAsync();
        var inside = 0;
        var mostInside = 0;
        var order = new List<int>();
        // Each write yields inside its turn and does real I/O: if two ran at once, both would be inside together.
        var writes = Enumerable.Range(0, 40).Select(i => db.Database.WriteAsync(async (connection, ct) =>
        {
            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref mostInside, now);
            lock (order)
                order.Add(i);
            await Task.Yield();
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (@v, '');", new { v = $"w{i:D2}" }, cancellationToken: ct));
            Interlocked.Decrement(ref inside);
            return i;
        })).ToList();

        Assert.Equal(Enumerable.Range(0, 40), await Task.WhenAll(writes));
        Assert.Equal(1, mostInside);
        Assert.Equal(Enumerable.Range(0, 40), order);
        Assert.Equal(40, await db.ScalarAsync("SELECT count(*) FROM schema_migrations WHERE version LIKE 'w%';"));
    }

    [Fact]
    public async Task A_loads_first_row_goes_ahead_of_finished_loads_writes_queued_before_it()
    {
        // A load waits on its first row (its id) before it starts; finished loads' writes can wait a little longer.
        await using var db = await TempDatabase.CreateAsync();
        var gate = new TaskCompletionSource();
        var order = new List<string>();
        Task<int> Write(string name, bool ahead = false) => db.Database.WriteAsync(async (_, _) =>
        {
            lock (order)
                order.Add(name);
            await Task.Yield();
            return 0;
        }, ahead: ahead);

        var holding = db.Database.WriteAsync(async (_, _) =>
        {
            await gate.Task;
            return 0;
        });
        var queued = new[] { Write("complete 1"), Write("complete 2"), Write("start A", ahead: true), Write("complete 3"), Write("start B", ahead: true) };
        gate.SetResult();
        await Task.WhenAll([holding, .. queued]);

        Assert.Equal(["start A", "start B", "complete 1", "complete 2", "complete 3"], order);
        // The store's own start goes ahead too: a complete queued before it sees its row already there.
        var held = new TaskCompletionSource();
        var blocking = db.Database.WriteAsync(async (_, _) =>
        {
            await held.Task;
            return 0;
        });
        var rowsSeenByComplete = db.Database.WriteAsync((connection, ct) =>
            connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM page_loads;", cancellationToken: ct)));
        var started = db.PageLoads.StartAsync("http://127.0.0.1/", new LoadOptions(), DateTimeOffset.UtcNow);
        held.SetResult();
        await Task.WhenAll(blocking, rowsSeenByComplete, started);
        Assert.Equal(1, await rowsSeenByComplete);
    }

    [Fact]
    public async Task Writes_that_follow_each_other_share_the_writers_connection_and_a_failure_gets_a_fresh_one()
    {
        await using var db = await TempDatabase.CreateAsync();
        var gate = new TaskCompletionSource();
        var seen = new List<Microsoft.Data.Sqlite.SqliteConnection>();
        Task<int> Note() => db.Database.WriteAsync((connection, _) =>
        {
            lock (seen)
                seen.Add(connection);
            return Task.FromResult(0);
        });

        var holding = db.Database.WriteAsync(async (connection, _) =>
        {
            lock (seen)
                seen.Add(connection);
            await gate.Task;
            return 0;
        });
        var next = new[] { Note(), Note() };
        var failing = db.Database.WriteAsync<int>((_, _) => throw new KeyNotFoundException("no such load"));
        var afterFailure = Note();
        gate.SetResult();
        await Task.WhenAll([holding, .. next, afterFailure]);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => failing);

        Assert.Equal(4, seen.Count);
        Assert.Same(seen[0], seen[1]);
        Assert.Same(seen[0], seen[2]);
        Assert.NotSame(seen[0], seen[3]); // after a failure: a fresh connection, never one left mid-transaction
    }

    [Fact]
    public async Task A_failed_write_is_the_callers_exception_and_health_holds_it_until_a_write_succeeds()
    {
        await using var db = await TempDatabase.CreateAsync();
        Assert.Null(db.Database.Health.LastWriteFailure);

        var failed = await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() =>
            db.Database.WriteAsync((connection, ct) => connection.ExecuteAsync(new CommandDefinition("INSERT INTO no_such_table VALUES (1);", cancellationToken: ct))));
        Assert.Equal("no such table: no_such_table (SQLite error 1)", db.Database.Health.LastWriteFailure!.Cause);
        Assert.False(db.Database.Health.LastWriteFailure.DiskFull);

        // A caller's own answer (no such load) is not the disk's: health is not touched by it.
        await Assert.ThrowsAsync<KeyNotFoundException>(() => db.PageLoads.CompleteAsync(new Engine.Model.PageLoadDocument { Id = 12345, Url = "http://127.0.0.1/", Options = new() }));
        Assert.NotNull(db.Database.Health.LastWriteFailure);

        await db.PageLoads.StartAsync("http://127.0.0.1/", new Engine.Model.LoadOptions(), DateTimeOffset.UtcNow);
        Assert.Null(db.Database.Health.LastWriteFailure);
    }

    [Fact]
    public async Task A_write_cancelled_while_it_waits_never_runs()
    {
        await using var db = await TempDatabase.CreateAsync();
        var gate = new TaskCompletionSource();
        var first = db.Database.WriteAsync(async (_, _) => { await gate.Task; return 1; });
        using var cancel = new CancellationTokenSource();
        var ran = false;
        var second = db.Database.WriteAsync((_, _) => { ran = true; return Task.FromResult(2); }, cancel.Token);
        cancel.Cancel();
        gate.SetResult();

        Assert.Equal(1, await first);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        Assert.False(ran);
        // The writer goes on with the next one.
        Assert.Equal(3, await db.Database.WriteAsync((_, _) => Task.FromResult(3)));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
