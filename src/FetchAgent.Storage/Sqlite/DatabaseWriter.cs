using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace FetchAgent.Storage.Sqlite;

/// <summary>
/// The one writer of a database in this process: every write waits its turn in a FIFO queue and runs alone, so
/// loads finishing together never meet on SQLite's write lock (and its busy handler) inside the daemon.
/// </summary>
/// <remarks>
/// WAL readers never block the writer nor it them, so reads stay on their own pooled connections. Another process
/// (the CLI's <c>load --db</c> beside a daemon) still meets this one on the lock, and waits out the busy timeout.
/// Every outcome is reported to <see cref="StorageHealth"/>: a failed write turns <c>/healthz</c> unhealthy until
/// a later write succeeds.
/// </remarks>
internal sealed class DatabaseWriter
{
    private readonly Channel<WriteItem> _queue = Channel.CreateUnbounded<WriteItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<CancellationToken, Task<SqliteConnection>> _open;
    private readonly StorageHealth _health;
    private int _started;

    public DatabaseWriter(Func<CancellationToken, Task<SqliteConnection>> open, StorageHealth health)
    {
        _open = open;
        _health = health;
    }

    /// <summary>Runs <paramref name="write"/> on a connection of its own once every write queued before it is done.</summary>
    public Task<T> RunAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
            _ = Task.Run(LoopAsync, CancellationToken.None);
        var item = new WriteItem<T>(write, cancellationToken);
        // Unbounded and never completed: TryWrite always succeeds.
        _queue.Writer.TryWrite(item);
        return item.Result;
    }

    private async Task LoopAsync()
    {
        await foreach (var item in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (item.CancellationToken.IsCancellationRequested)
            {
                item.Cancel();
                continue;
            }

            try
            {
                await using var connection = await _open(item.CancellationToken).ConfigureAwait(false);
                await item.RunAsync(connection).ConfigureAwait(false);
                _health.WriteSucceeded();
            }
            catch (OperationCanceledException) when (item.CancellationToken.IsCancellationRequested)
            {
                item.Cancel();
            }
            catch (Exception e)
            {
                // KeyNotFoundException and the like are the caller's answer, not the disk's.
                if (StorageFailure.From(e) is { } failure)
                    _health.WriteFailed(failure);
                item.Fail(e);
            }
        }
    }

    private abstract class WriteItem(CancellationToken cancellationToken)
    {
        public CancellationToken CancellationToken { get; } = cancellationToken;
        public abstract Task RunAsync(SqliteConnection connection);
        public abstract void Fail(Exception exception);
        public abstract void Cancel();
    }

    private sealed class WriteItem<T>(Func<SqliteConnection, CancellationToken, Task<T>> write, CancellationToken cancellationToken) : WriteItem(cancellationToken)
    {
        private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Result => _result.Task;

        public override async Task RunAsync(SqliteConnection connection) =>
            _result.TrySetResult(await write(connection, CancellationToken).ConfigureAwait(false));

        public override void Fail(Exception exception) => _result.TrySetException(exception);

        public override void Cancel() => _result.TrySetCanceled(CancellationToken);
    }
}
