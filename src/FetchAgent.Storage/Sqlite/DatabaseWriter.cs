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
/// Two lanes: a short write that a request is waiting on before its work can start (a load's first row, which
/// gives it its id) goes ahead of the finished loads' larger writes queued before it; within a lane, FIFO. The
/// writer keeps its connection while writes keep coming and lets it go when the queue is empty or a write failed.
/// </remarks>
internal sealed class DatabaseWriter
{
    private readonly Channel<WriteItem> _queue = Channel.CreateUnbounded<WriteItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<WriteItem> _ahead = Channel.CreateUnbounded<WriteItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<CancellationToken, Task<SqliteConnection>> _open;
    private readonly StorageHealth _health;
    private int _started;

    public DatabaseWriter(Func<CancellationToken, Task<SqliteConnection>> open, StorageHealth health)
    {
        _open = open;
        _health = health;
    }

    /// <summary>Runs <paramref name="write"/> once every write queued before it in its lane is done.</summary>
    /// <param name="ahead">A short write a request waits on before its work starts: it goes before the other lane's queue.</param>
    public Task<T> RunAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> write, CancellationToken cancellationToken, bool ahead = false)
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
            _ = Task.Run(LoopAsync, CancellationToken.None);
        var item = new WriteItem<T>(write, cancellationToken);
        // Unbounded and never completed: TryWrite always succeeds.
        (ahead ? _ahead : _queue).Writer.TryWrite(item);
        return item.Result;
    }

    private async Task LoopAsync()
    {
        SqliteConnection? connection = null;
        while (true)
        {
            if (!_ahead.Reader.TryRead(out var item) && !_queue.Reader.TryRead(out item))
            {
                // Nothing queued: let the connection go, then sleep until either lane has a write.
                if (connection is not null)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                    connection = null;
                }

                await Task.WhenAny(_ahead.Reader.WaitToReadAsync().AsTask(), _queue.Reader.WaitToReadAsync().AsTask()).ConfigureAwait(false);
                continue;
            }

            if (item.CancellationToken.IsCancellationRequested)
            {
                item.Cancel();
                continue;
            }

            try
            {
                connection ??= await _open(item.CancellationToken).ConfigureAwait(false);
                await item.RunAsync(connection).ConfigureAwait(false);
                _health.WriteSucceeded();
            }
            catch (OperationCanceledException) when (item.CancellationToken.IsCancellationRequested)
            {
                item.Cancel();
            }
            catch (Exception e)
            {
                // KeyNotFoundException and the like are the caller's answer, not the disk's; either way the next write
                // starts on a fresh connection, never one a failure may have left mid-transaction.
                if (StorageFailure.From(e) is { } failure)
                    _health.WriteFailed(failure);
                item.Fail(e);
                if (connection is not null)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                    connection = null;
                }
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
