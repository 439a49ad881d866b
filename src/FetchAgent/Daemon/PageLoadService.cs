using System.Collections.Concurrent;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Navigation;
using FetchAgent.Engine.Page;
using FetchAgent.Storage;
using Microsoft.Extensions.Options;

namespace FetchAgent.Daemon;

/// <summary>
/// Runs page loads for the API: at most <see cref="DaemonOptions.MaxConcurrentLoads"/> at once, a
/// bounded queue behind them, each recorded as running at once and written whole when it ends.
/// </summary>
public sealed partial class PageLoadService : IAsyncDisposable
{
    private readonly IPageLoadStore _store;
    private readonly AgentIdentity? _agent;
    private readonly LiveProgressRelay? _relay;
    private readonly DaemonOptions _options;
    private readonly ILogger<PageLoadService> _logger;
    private readonly TimeProvider _timeProvider;
    private readonly PageLoader _loader;
    private readonly SemaphoreSlim _turns;
    private readonly long _reservation;
    private readonly ConcurrentDictionary<long, LiveLoad> _live = new();
    private readonly ConcurrentDictionary<long, PageLoadDocument> _unstored = new();
    private readonly LoadOverlap _overlap = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _admitted;
    private long _lastWarmUpId;

    public PageLoadService(
        IPageLoadStore store, IOptions<DaemonOptions> options, ILogger<PageLoadService> logger, TimeProvider timeProvider, DestinationPolicy destinations,
        ILoggerFactory? loggerFactory = null, AgentIdentity? agent = null, LiveProgressRelay? relay = null)
    {
        _store = store;
        _relay = relay;
        _agent = agent;
        _options = options.Value;
        _logger = logger;
        _timeProvider = timeProvider;
        // Each load's pool decisions at Debug, under FetchAgent.Engine.Connections (off unless that category is set to Debug).
        // The daemon reads http_proxy, https_proxy, all_proxy and no_proxy once, at start, as curl reads them per run.
        _loader = new PageLoader(timeProvider, destinations: destinations, loggerFactory: loggerFactory, proxyEnvironment: ProxyEnvironment.FromProcess());
        _turns = new SemaphoreSlim(_options.MaxConcurrentLoads, _options.MaxConcurrentLoads);
        Memory = new MemoryBudget(_options.MemoryBudgetBytes);
        _reservation = Memory.ReservationFor(PageMemoryLimits.Default.PageBudgetBytes);
    }

    /// <summary>Issue 17: loads that hold a turn now (warm-ups included), as the agent's heartbeat reports them.</summary>
    public int LoadsRunning => _options.MaxConcurrentLoads - _turns.CurrentCount;

    /// <summary>The daemon-wide budget each load reserves its page's budget from before it starts.</summary>
    public MemoryBudget Memory { get; }

    /// <summary>
    /// A load still running or queued. One that has finished is answered from the store (or the unstored map) even in
    /// the moment before it leaves the live table: a DELETE may already have removed its row, and the live copy would
    /// bring it back to a GET.
    /// </summary>
    public LiveLoad? Live(long id) => _live.TryGetValue(id, out var live) && !live.Completion.IsCompleted ? live : null;

    /// <summary>Accepts a load: records it as running and starts it when a turn is free.</summary>
    /// <param name="proxyUser">The request's <c>proxyUser</c>: in memory for this load only, never stored.</param>
    public async Task<LiveLoad> StartAsync(Uri url, LoadOptions options, CancellationToken cancellationToken, ProxyCredentials? proxyUser = null)
    {
        if (_stopping.IsCancellationRequested)
            throw new LoadQueueFullException(retryAfterSeconds: 30);
        if (Interlocked.Increment(ref _admitted) > _options.MaxConcurrentLoads + _options.MaxQueuedLoads)
        {
            Interlocked.Decrement(ref _admitted);
            throw new LoadQueueFullException(retryAfterSeconds: 5);
        }

        LiveLoad live;
        try
        {
            var startedAt = _timeProvider.GetUtcNow();
            // A password in the URL is never written, not even to the row that is replaced when the load ends.
            var id = await _store.StartAsync(Redaction.Url(url), options, startedAt, cancellationToken).ConfigureAwait(false);
            live = new LiveLoad(id, url, options, startedAt, _overlap) { ProxyUser = proxyUser, Agent = _agent };
            _live[id] = live;
            _relay?.Follow(live);
        }
        catch
        {
            Interlocked.Decrement(ref _admitted);
            throw;
        }

        _ = Task.Run(() => RunAsync(live));
        return live;
    }

    /// <summary>Loads accepted and not yet ended: running or waiting for a turn.</summary>
    public int Admitted => Volatile.Read(ref _admitted);

    /// <summary>
    /// Issue 17: runs a load this agent took from the shared queue (its row is recorded already, as running) when a
    /// turn is free, as any other. The caller takes no more than <see cref="DaemonOptions.MaxConcurrentLoads"/> less
    /// <see cref="Admitted"/>, so the local queue's bound is not applied.
    /// </summary>
    public LiveLoad RunTaken(long id, Uri url, LoadOptions options)
    {
        Interlocked.Increment(ref _admitted);
        var live = new LiveLoad(id, url, options, _timeProvider.GetUtcNow(), _overlap) { Agent = _agent };
        _live[id] = live;
        _relay?.Follow(live);
        _ = Task.Run(() => RunAsync(live));
        return live;
    }

    /// <summary>
    /// Runs a load that is not recorded anywhere, in its turn like any other: it pays for what only a first
    /// load pays (JIT of the paths it takes, the server's cold caches, the trust store) so the recorded
    /// runs after it measure the network, not FetchAgent's start-up.
    /// </summary>
    public async Task WarmUpAsync(Uri url, LoadOptions options, CancellationToken cancellationToken, ProxyCredentials? proxyUser = null)
    {
        if (_stopping.IsCancellationRequested)
            throw new LoadQueueFullException(retryAfterSeconds: 30);
        if (Interlocked.Increment(ref _admitted) > _options.MaxConcurrentLoads + _options.MaxQueuedLoads)
        {
            Interlocked.Decrement(ref _admitted);
            throw new LoadQueueFullException(retryAfterSeconds: 5);
        }

        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
            await _turns.WaitAsync(linked.Token).ConfigureAwait(false);
            try
            {
                await Memory.ReserveAsync(_reservation, linked.Token).ConfigureAwait(false);
            }
            catch
            {
                _turns.Release();
                throw;
            }

            // Negative ids never meet a stored load's; a warm-up still counts as a neighbour of recorded loads.
            var id = Interlocked.Decrement(ref _lastWarmUpId);
            _overlap.Started(id);
            try
            {
                await _loader.LoadAsync(url, options, null, linked.Token, proxyUser: proxyUser).ConfigureAwait(false);
            }
            finally
            {
                _overlap.Ended(id);
                Memory.Release(_reservation);
                _turns.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _admitted);
        }
    }

    private async Task RunAsync(LiveLoad live)
    {
        var concurrentLoads = 0;
        try
        {
            if (!await WaitForTurnAsync(live).ConfigureAwait(false))
            {
                await StoreAsync(live, CancelledWhileQueued(live)).ConfigureAwait(false);
                return;
            }

            PageLoadDocument document;
            // On the clock from its turn to its end: a load waiting in the queue takes no CPU from the others.
            _overlap.Started(live.Id);
            try
            {
                // A cancel (DELETE) ends the load as its page deadline would: what was measured is kept, as cancelled.
                document = await _loader.LoadAsync(live.Url, live.Options, live.ObjectFinished, _stopping.Token, live.CancelRequested, live.ProxyUser).ConfigureAwait(false);
            }
            finally
            {
                concurrentLoads = _overlap.Ended(live.Id);
                Memory.Release(_reservation);
                _turns.Release();
            }

            document.Id = live.Id;
            document.ConcurrentLoads = concurrentLoads;
            await StoreAsync(live, document).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Stopped by shutdown, or a fault of ours: the load is recorded as failed, never half-written.
            var reason = _stopping.IsCancellationRequested ? "daemon stopped while the load was running" : $"internal error: {e.Message}";
            if (!_stopping.IsCancellationRequested)
                LogLoadCrashed(e, live.Id);
            var failed = live.Snapshot();
            failed.Status = PageLoadStatus.Failed;
            failed.Error = reason;
            failed.ErrorKind = _stopping.IsCancellationRequested ? ErrorKind.Cancelled : ErrorKind.Internal;
            failed.Objects = [];
            failed.ConcurrentLoads = concurrentLoads;
            try
            {
                await _store.CompleteAsync(failed, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception storeError)
            {
                LogStoreFailed(storeError, live.Id);
                if (StorageFailure.From(storeError) is { } failure)
                {
                    KeepUnstored(live, failed, failure);
                    return;
                }
            }

            live.Complete(failed);
        }
        finally
        {
            _live.TryRemove(live.Id, out _);
            Interlocked.Decrement(ref _admitted);
        }
    }

    /// <summary>Waits for a turn; false when the load was cancelled while it waited (it never ran).</summary>
    private async Task<bool> WaitForTurnAsync(LiveLoad live)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, live.CancelRequested);
        try
        {
            await _turns.WaitAsync(waiting.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (live.CancelRequested.IsCancellationRequested && !_stopping.IsCancellationRequested)
        {
            return false;
        }

        try
        {
            // A turn, then room: the load waits rather than run past the daemon's memory budget.
            await Memory.ReserveAsync(_reservation, waiting.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (live.CancelRequested.IsCancellationRequested && !_stopping.IsCancellationRequested)
        {
            _turns.Release();
            return false;
        }
        catch
        {
            _turns.Release();
            throw;
        }
    }

    private static PageLoadDocument CancelledWhileQueued(LiveLoad live)
    {
        var document = live.Snapshot();
        document.Status = PageLoadStatus.Cancelled;
        document.Error = "cancelled before it started";
        document.ErrorKind = ErrorKind.Cancelled;
        return document;
    }

    private async Task StoreAsync(LiveLoad live, PageLoadDocument document)
    {
        try
        {
            await _store.CompleteAsync(document, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception storeError) when (StorageFailure.From(storeError) is { } failure)
        {
            KeepUnstored(live, document, failure);
            return;
        }
        catch (KeyNotFoundException) when (live.CancelRequested.IsCancellationRequested)
        {
            // Issue 17: deleted on another agent while it ran (that DELETE cancelled it here): nothing to store.
            LogDeletedWhileRunning(live.Id);
            document.Status = PageLoadStatus.Cancelled;
            document.ErrorKind = ErrorKind.Cancelled;
            document.Error ??= "deleted while it ran";
            live.Complete(document);
            return;
        }

        LogFinished(live.Id, document.Url, document.Status, document.Objects.Count, document.Metrics.PerceivedMs, document.Metrics.ActualMs);
        live.Complete(document);
    }

    /// <summary>
    /// The database refused the finished load (a full disk, a damaged or read-only file): the load is kept here as
    /// failed, with everything it measured, so GET, HAR and events still answer until the daemon restarts (when
    /// its row, left running, is marked failed). The oldest go first past <see cref="MaxUnstored"/>.
    /// </summary>
    private void KeepUnstored(LiveLoad live, PageLoadDocument document, StorageFailure failure)
    {
        LogNotStored(live.Id, failure.Cause);
        document.Error = $"not stored: {failure.Cause}" + (document.Error is null ? "" : $"; {document.Error}");
        document.ErrorKind = ErrorKind.Storage;
        document.Status = PageLoadStatus.Failed;
        _unstored[live.Id] = document;
        if (_unstored.Count > MaxUnstored)
            _unstored.TryRemove(_unstored.Keys.Min(), out _);

        live.StoreFailure = failure;
        live.Complete(document);
    }

    /// <summary>How many loads the database refused are kept in memory.</summary>
    public const int MaxUnstored = 1000;

    /// <summary>A finished load the database refused, kept in memory as failed; null for any other id.</summary>
    public PageLoadDocument? Unstored(long id) => _unstored.TryGetValue(id, out var document) ? document : null;

    /// <summary>Drops a load the database refused (DELETE); false when it was not one.</summary>
    public bool ForgetUnstored(long id) => _unstored.TryRemove(id, out _);

    /// <summary>Graceful shutdown: running loads get <paramref name="grace"/> to finish, then are stopped and marked failed.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        // A load's Completion is set once it is stored, finished or failed.
        var running = _live.Values.Select(l => l.Completion).ToArray();
        if (running.Length > 0)
        {
            LogWaitingForLoads(running.Length, (int)grace.TotalSeconds);
            await Task.WhenAny(Task.WhenAll(running), Task.Delay(grace, _timeProvider)).ConfigureAwait(false);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_live.Values.Select(l => l.Completion).ToArray()).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _stopping.Dispose();
        _turns.Dispose();
    }
}
