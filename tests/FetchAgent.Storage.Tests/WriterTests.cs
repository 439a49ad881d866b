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
