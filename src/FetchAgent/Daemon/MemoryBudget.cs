namespace FetchAgent.Daemon;

/// <summary>
/// The daemon's memory budget (<see cref="DaemonOptions.MemoryBudgetBytes"/>): each running load reserves what its
/// page may keep for discovery, and a load whose reservation does not fit waits, first come first served, until
/// running loads give theirs back. Strict FIFO: a large reservation is not overtaken (and starved) by small ones.
/// </summary>
public sealed class MemoryBudget
{
    private readonly Lock _lock = new();
    private readonly LinkedList<(long Bytes, TaskCompletionSource Granted)> _waiting = new();
    private TaskCompletionSource _someoneWaits = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _available;

    public MemoryBudget(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, 1);
        Total = bytes;
        _available = bytes;
    }

    public long Total { get; }

    /// <summary>What one load reserves: its page budget, or the whole budget when that is smaller (then loads run one at a time).</summary>
    public long ReservationFor(long pageBudget) => Math.Min(pageBudget, Total);

    /// <summary>Loads waiting for room now.</summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
                return _waiting.Count;
        }
    }

    /// <summary>Completes when a load starts waiting for room (for tests and traces: an event, never a poll).</summary>
    internal Task SomeoneWaits
    {
        get
        {
            lock (_lock)
                return _someoneWaits.Task;
        }
    }

    /// <summary>Reserves <paramref name="bytes"/> (at most <see cref="Total"/>), waiting in line when they do not fit.</summary>
    public async Task ReserveAsync(long bytes, CancellationToken cancellationToken)
    {
        bytes = Math.Min(bytes, Total);
        LinkedListNode<(long, TaskCompletionSource)> node;
        lock (_lock)
        {
            if (_waiting.Count == 0 && bytes <= _available)
            {
                _available -= bytes;
                return;
            }

            node = _waiting.AddLast((bytes, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)));
            _someoneWaits.TrySetResult();
        }

        try
        {
            await node.Value.Item2.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            lock (_lock)
            {
                if (node.List is not null)
                {
                    _waiting.Remove(node);
                    if (_waiting.Count == 0)
                        _someoneWaits = new(TaskCreationOptions.RunContinuationsAsynchronously);
                    GrantWaiting(); // the one behind may fit now
                    throw;
                }
            }

            // Granted just as it was cancelled: give it back.
            Release(bytes);
            throw;
        }
    }

    public void Release(long bytes)
    {
        bytes = Math.Min(bytes, Total);
        lock (_lock)
        {
            _available += bytes;
            GrantWaiting();
        }
    }

    private void GrantWaiting()
    {
        while (_waiting.First is { } first && first.Value.Bytes <= _available)
        {
            _available -= first.Value.Bytes;
            _waiting.RemoveFirst();
            if (_waiting.Count == 0)
                _someoneWaits = new(TaskCreationOptions.RunContinuationsAsynchronously);
            first.Value.Granted.TrySetResult();
        }
    }
}
