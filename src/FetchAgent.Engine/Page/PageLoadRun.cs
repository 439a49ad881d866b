using System.Collections.Concurrent;
using FetchAgent.Engine.Cache;
using FetchAgent.Engine.Connections;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Navigation;
using FetchAgent.Engine.Timeline;
using Microsoft.Extensions.Logging;

namespace FetchAgent.Engine.Page;

/// <summary>The state of one page load while it runs: its clock, pool, objects and pending work.</summary>
internal sealed partial class PageLoadRun : IAsyncDisposable
{
    /// <summary>Frames inside frames are followed this deep, like the issue's "depth ≤ 2".</summary>
    private const int MaxFrameDepth = 2;

    private readonly Uri _url;
    private readonly LoadOptions _options;
    private readonly PageMemoryLimits _limits;
    private readonly PageBodyBudget _bodyBudget;
    private readonly PageClock _clock;
    private readonly ConnectionPool _pool;
    private readonly TransactionRunner _runner;
    private readonly Action<ObjectRecord>? _objectFinished;
    private readonly CancellationToken _cancellation;
    private readonly ConcurrentDictionary<int, ObjectRecord> _objects = new();
    private readonly ConcurrentDictionary<string, bool> _seen = new(StringComparer.Ordinal);
    private readonly List<Task> _pending = [];

    /// <summary>Held while blocking flags change or a redirect hop copies them, so a correction reaches every hop.</summary>
    private readonly Lock _flagsLock = new();
    private int _nextObjectId;

    /// <summary>The URL of the page's document (its latest redirect hop): what "same origin" is measured against.</summary>
    private volatile Uri _documentUrl;
    private int _notFetched;

    /// <summary>The page's deadline (<see cref="LoadOptions.PageTimeoutMs"/>), and what stops its work: the deadline or the caller.</summary>
    private readonly PageDeadline _deadline;
    private readonly CancellationTokenSource _stop;
    private readonly CancellationToken _callerCancellation;

    /// <summary>Ends the load gracefully when the caller asks (<see cref="PageLoader.LoadAsync"/>'s <c>endRequest</c>).</summary>
    private readonly CancellationTokenRegistration _endRequested;

    /// <summary>The page URL's user name and password, in memory only; null when it has none.</summary>
    private readonly UrlCredentials? _credentials;

    /// <summary>The HTTP cache this load reads and fills (a first view's, then its repeat view's); null without one.</summary>
    private readonly HttpCache? _cache;

    /// <summary>Holds the page's low-priority requests back until the parser reaches the body (Blink's tight mode).</summary>
    private readonly ResourceLoadScheduler _scheduler;

    public PageLoadRun(
        Uri url, LoadOptions options, PageMemoryLimits limits, TimeProvider timeProvider, HostResolver? resolver, DestinationPolicy? destinations,
        Action<ObjectRecord>? objectFinished, CancellationToken cancellation, CancellationToken endRequest = default, ILogger? connectionLog = null,
        HttpCache? cache = null, ProxySettings? proxies = null, IReadOnlyList<PooledConnection>? keptConnections = null, bool keepIdleConnections = false)
    {
        _cache = cache;
        _url = url;
        _documentUrl = url;
        _options = options;
        _limits = limits;
        _bodyBudget = new PageBodyBudget(limits.PageBudgetBytes);
        _clock = new PageClock(timeProvider);
        _pool = new ConnectionPool(options, _clock, resolver, destinations, connectionLog, proxies);
        _keepIdleConnections = keepIdleConnections;
        if (keptConnections is not null)
            _pool.Adopt(keptConnections);
        _runner = new TransactionRunner(_pool);
        _objectFinished = objectFinished;
        _callerCancellation = cancellation;
        _deadline = new PageDeadline(_clock, options.PageTimeoutMs);
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation, _deadline.Token);
        _cancellation = _stop.Token;
        _credentials = UrlCredentials.From(url);
        // Serial's one-at-a-time gate holds everything already; a held request there would only wait behind it.
        _scheduler = new ResourceLoadScheduler(tight: !options.NoTightMode && options.Strategy != ConnectionStrategy.Serial);
        Document = new PageLoadDocument { Url = Redaction.Url(url), Options = options, StartedAt = _clock.StartedAt };
        _endRequested = endRequest.Register(static state => ((PageDeadline)state!).Cancel(), _deadline);
    }

    public PageLoadDocument Document { get; }

    /// <summary>
    /// <c>--keep-connections</c>: when set, the connections idle at the end of this view stay open and are taken out
    /// (<see cref="KeptConnections"/>) for the next view, instead of closing.
    /// </summary>
    private readonly bool _keepIdleConnections;

    /// <summary>The connections this view left idle and open for the next one (with <c>--keep-connections</c>); empty otherwise.</summary>
    public IReadOnlyList<PooledConnection> KeptConnections { get; private set; } = [];

    public async Task<PageLoadDocument> RunAsync()
    {
        _seen.TryAdd(Key(_url), true);
        var first = NewObject(_url, ResourceKind.Document, Initiator.Navigation, null, renderBlocking: true, parserBlocking: false);
        var navigation = first is null ? null : await FetchChainAsync(first, _url, htmlFrameDepth: 0).ConfigureAwait(false);
        DocumentEnded(navigation);
        Document.FinalUrl = navigation?.Record.Url;
        if (navigation is null || navigation.Record.Status is null || navigation.Record.Error is not null)
        {
            Document.Status = PageLoadStatus.Failed;
            Document.Error = $"document: {navigation?.Record.Error ?? (DeadlinePassed ? _deadline.ErrorText : "not fetched")}";
            // The page failed for its document's reason; a document never fetched (maxObjects 0 cannot be) is ours.
            Document.ErrorKind = navigation?.Record.ErrorKind ?? (DeadlinePassed ? _deadline.ErrorKind : ErrorKind.Internal);
        }
        else if (navigation.IsHtml && navigation.Record.Error is null)
        {
            await DiscoverHtmlAsync(navigation, frameDepth: 0).ConfigureAwait(false);
        }

        if (navigation is not null)
            Finished(navigation.Record);

        await DrainAsync().ConfigureAwait(false);
        // The load event: what waited for it (the page's icon) is requested now, outside onLoad.
        FireLoadEvent();
        await DrainAsync().ConfigureAwait(false);
        // Every object has ended: a deadline or cancel from here on cuts nothing, so it changes nothing.
        _deadline.Settle();
        // A load that was cut short is not visited again: its connections close with it.
        if (_keepIdleConnections && !DeadlinePassed)
            KeptConnections = _pool.TakeIdleForNextView();
        await _pool.CloseAllAsync().ConfigureAwait(false);
        Finish();
        // After the clock and every connection: the TIME_WAIT sockets the load left (the chapter's TCP factors).
        TimeWaitCensus.Take(Document);
        return Document;
    }

    private void Finish()
    {
        if (DeadlinePassed)
        {
            // Objects the deadline (or a cancel) caught before any answer came back end then, as timeouts (or cancelled).
            var deadlineMs = _clock.Ms(_deadline.PassedAt);
            foreach (var unfinished in _objects.Values.Where(o => o.Status is null && o.Error is null))
            {
                unfinished.Error = _deadline.ErrorText;
                unfinished.ErrorKind = _deadline.ErrorKind;
                unfinished.EndMs = Math.Max(unfinished.StartMs, deadlineMs);
                unfinished.Time = unfinished.EndMs - unfinished.StartMs;
                unfinished.Timings = new ObjectTimings(unfinished.Time, -1, -1, -1, 0, 0, 0);
            }
        }

        Document.Objects = _objects.Values.OrderBy(o => o.Id).ToList();
        Document.Connections = _pool.Connections.ToList();
        Document.ObjectsNotFetched = _notFetched;
        PageMetricsCalculator.Compute(Document);
        if (DeadlinePassed && _deadline.Reason == PageEndReason.Cancelled)
            Document.Status = PageLoadStatus.Cancelled;
        else if (Document.Status != PageLoadStatus.Failed)
            Document.Status = Document.Objects.Any(o => o.Error is not null) ? PageLoadStatus.Partial : PageLoadStatus.Completed;
        if (PoolInvariants.Enabled)
            CheckErrorKinds(Document);
    }

    /// <summary>Every error text has its kind beside it, and no kind stands without a text (checked in the tests' runs).</summary>
    private static void CheckErrorKinds(PageLoadDocument document)
    {
        PoolInvariants.Check(document.Error is null == document.ErrorKind is null, $"page error '{document.Error}' with kind {document.ErrorKind}");
        foreach (var o in document.Objects)
            PoolInvariants.Check(o.Error is null == o.ErrorKind is null, $"object {o.Id} error '{o.Error}' with kind {o.ErrorKind}");
        foreach (var c in document.Connections)
            PoolInvariants.Check(c.Error is null == c.ErrorKind is null, $"connection {c.Id} error '{c.Error}' with kind {c.ErrorKind}");
    }

    /// <summary>Waits for every object, including those discovered while waiting.</summary>
    private async Task DrainAsync()
    {
        while (true)
        {
            Task[] batch;
            lock (_pending)
            {
                batch = [.. _pending];
                _pending.Clear();
            }

            if (batch.Length == 0)
                return;
            try
            {
                await Task.WhenAll(batch).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (DeadlinePassed)
            {
                // The page's deadline: what was measured stays, the rest is marked in Finish.
            }
        }
    }

    /// <summary>The page's own deadline passed, or it was asked to end (not the caller's cancellation, which ends the load as an error).</summary>
    private bool DeadlinePassed => _deadline.HasPassed && !_callerCancellation.IsCancellationRequested;

    private void Track(Task task)
    {
        lock (_pending)
            _pending.Add(task);
    }

    /// <summary>A new object record, issued now; null once the page reached its object limit.</summary>
    private ObjectRecord? NewObject(Uri url, ResourceKind kind, Initiator initiator, int? parentId, bool renderBlocking, bool parserBlocking)
    {
        if (_deadline.HasPassed)
        {
            // Found after the page's deadline: not fetched, as past maxObjects.
            Interlocked.Increment(ref _notFetched);
            return null;
        }

        var id = Interlocked.Increment(ref _nextObjectId);
        if (id > _options.MaxObjects)
        {
            Interlocked.Increment(ref _notFetched);
            return null;
        }

        var record = new ObjectRecord
        {
            Id = id,
            Url = Redaction.AbsoluteUrl(url),
            Kind = kind,
            Initiator = initiator,
            ParentId = parentId,
            RenderBlocking = renderBlocking,
            ParserBlocking = parserBlocking,
            StartMs = _clock.Ms(_clock.Now()),
        };
        _objects[id] = record;
        return record;
    }

    /// <summary>A URL without its fragment (one resource, fetched once, whatever its #…); the parsed URL's own text when it has none.</summary>
    private static string Key(Uri url) => url.Fragment.Length == 0 ? url.AbsoluteUri : url.GetLeftPart(UriPartial.Query);

    public async ValueTask DisposeAsync()
    {
        await _endRequested.DisposeAsync().ConfigureAwait(false);
        await _pool.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
        _deadline.Dispose();
    }
}
