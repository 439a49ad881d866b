using System.Collections.Concurrent;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Navigation;

namespace FetchAgent.Engine.Connections;

/// <summary>
/// Every connection of one page load: a bounded <see cref="OriginPool"/> per origin, and for the
/// serial strategy one gate for the whole page (one object at a time).
/// </summary>
public sealed class ConnectionPool : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Origin, OriginPool> _origins = new();
    private readonly ConcurrentQueue<ConnectionRecord> _records = new();
    private readonly ConcurrentQueue<Task> _closing = new();
    private readonly LoadOptions _options;
    private readonly PageClock _clock;
    private int _nextId;

    public ConnectionPool(LoadOptions options, PageClock clock, HostResolver? resolver = null, DestinationPolicy? destinations = null)
    {
        _options = options;
        _clock = clock;
        Navigator = new Navigator(clock, new DnsCache(clock, resolver), options, destinations);
        SerialGate = options.Strategy == ConnectionStrategy.Serial ? new SemaphoreSlim(1, 1) : null;
    }

    internal Navigator Navigator { get; }
    internal PageClock Clock => _clock;
    internal LoadOptions Options => _options;

    /// <summary>Serial strategy: one object at a time for the whole page.</summary>
    internal SemaphoreSlim? SerialGate { get; }

    /// <summary>Every connection opened so far, in the order they were opened.</summary>
    public IReadOnlyList<ConnectionRecord> Connections => _records.OrderBy(r => r.Id).ToList();

    internal OriginPool For(Origin origin) =>
        _origins.GetOrAdd(origin, o => new OriginPool(o, _options, _clock, Close));

    internal PersistentConnection Adopt(Origin origin, Transport transport)
    {
        var connection = new PersistentConnection(Interlocked.Increment(ref _nextId), origin, transport, _clock);
        _records.Enqueue(connection.Record);
        return connection;
    }

    /// <summary>
    /// A connection that failed to open joins the list with its error, when TCP got as far as a SYN; a lookup that
    /// failed opened nothing (the object carries its DNS time). Returns its id, or null.
    /// </summary>
    internal int? RecordFailedAttempt(Origin origin, ConnectionAttempt attempt)
    {
        if (attempt.ConnectStart is null)
            return null;
        var id = Interlocked.Increment(ref _nextId);
        _records.Enqueue(ConnectionRecords.Failed(id, origin, attempt, _clock));
        return id;
    }

    private Task Close(PersistentConnection connection, CloseReason reason, bool graceful)
    {
        var closing = connection.CloseAsync(reason, graceful);
        _closing.Enqueue(closing);
        return closing;
    }

    /// <summary>The page load is done: close what is still open, gracefully, and wait for every close.</summary>
    public async Task CloseAllAsync()
    {
        foreach (var pool in _origins.Values)
        {
            foreach (var connection in pool.TakeAll())
                _closing.Enqueue(connection.CloseAsync(CloseReason.PageDone, graceful: true));
        }

        await Task.WhenAll(_closing.ToArray()).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAllAsync().ConfigureAwait(false);
        SerialGate?.Dispose();
    }
}
