using FetchAgent.Engine.Cache;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Connections;
using FetchAgent.Engine.Navigation;
using Microsoft.Extensions.Logging;


namespace FetchAgent.Engine.Page;

/// <summary>
/// Loads a page as a browser's network layer would: the document (following redirects), then every
/// sub-resource the document, its stylesheets and its frames reference, each once, on the
/// strategy's connections. Emits a finished <see cref="PageLoadDocument"/>.
/// </summary>
public sealed class PageLoader
{
    private readonly TimeProvider _timeProvider;
    private readonly HostResolver? _resolver;
    private readonly DestinationPolicy? _destinations;
    private readonly bool _isWarmup;
    private readonly PageMemoryLimits _limits;
    private readonly ILogger? _connectionLog;
    private readonly ProxyEnvironment? _proxyEnvironment;

    /// <param name="timeProvider">The clock every phase is read from.</param>
    /// <param name="resolver">Step 2's resolver; the system's (getaddrinfo) when null.</param>
    /// <param name="destinations">Where loads may connect; everywhere when null.</param>
    /// <param name="limits">What a page may hold for discovery; <see cref="PageMemoryLimits.Default"/> when null.</param>
    /// <param name="loggerFactory">
    /// Where each load's pool and connection decisions are logged, at Debug, under <see cref="ConnectionLog.Category"/>;
    /// written when the load's connections have closed, never during a phase. Nothing is noted when null or not enabled.
    /// </param>
    /// <param name="proxyEnvironment">
    /// The process's <c>http_proxy</c>, <c>https_proxy</c>, <c>all_proxy</c>, <c>no_proxy</c> (<see cref="ProxyEnvironment.FromProcess"/>),
    /// used when a load's options name no proxy; none when null.
    /// </param>
    public PageLoader(
        TimeProvider? timeProvider = null, HostResolver? resolver = null, DestinationPolicy? destinations = null, PageMemoryLimits? limits = null,
        ILoggerFactory? loggerFactory = null, ProxyEnvironment? proxyEnvironment = null)
    {
        _proxyEnvironment = proxyEnvironment;
        _connectionLog = loggerFactory?.CreateLogger(ConnectionLog.Category);
        _limits = limits ?? PageMemoryLimits.Default;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _resolver = resolver;
        _destinations = destinations;
    }

    /// <summary>The warm-up's own loader: it must not wait for the warm-up it is part of.</summary>
    internal PageLoader(bool warm)
        : this()
    {
        _isWarmup = warm;
    }


    /// <param name="url">An absolute http or https URL (see <see cref="LoadOptions.ValidateUrl"/>).</param>
    /// <param name="options">The load options.</param>
    /// <param name="objectFinished">Called once per object as it finishes, from any thread.</param>
    /// <param name="cancellationToken">Stops the load; objects in flight are abandoned (the call throws).</param>
    /// <param name="endRequest">
    /// Ends the load gracefully, as its page deadline would: objects in flight end with the error <c>cancelled</c>,
    /// nothing more is requested, and the document comes back with what was measured and status
    /// <see cref="PageLoadStatus.Cancelled"/> (unless every object had already ended).
    /// </param>
    /// <param name="proxyUser">Credentials for the proxy (<c>--proxy-user</c>): in memory for this load only, never in the document.</param>
    public async Task<PageLoadDocument> LoadAsync(
        Uri url, LoadOptions options, Action<ObjectRecord>? objectFinished = null, CancellationToken cancellationToken = default, CancellationToken endRequest = default,
        ProxyCredentials? proxyUser = null)
    {
        // FetchAgent's own start-up is paid before the page clock starts (the clock starts in PageLoadRun).
        if (!_isWarmup)
            await ProcessWarmup.EnsureAsync(options).ConfigureAwait(false);
        // Repeat view: the first view fills a cache of its own, empty at the start (WebPageTest's "first view").
        var proxies = ProxySettings.Resolve(options, _proxyEnvironment, proxyUser);
        var cache = options.RepeatView ? new HttpCache(_timeProvider) : null;
        PageLoadDocument first;
        IReadOnlyList<PooledConnection> kept;
        await using (var run = new PageLoadRun(url, options, _limits, _timeProvider, _resolver, _destinations, objectFinished, cancellationToken, endRequest, _connectionLog, cache, proxies,
            keepIdleConnections: cache is not null && options.KeepConnections))
        {
            first = await run.RunAsync().ConfigureAwait(false);
            kept = run.KeptConnections;
        }

        if (cache is null || first.Status == PageLoadStatus.Cancelled || endRequest.IsCancellationRequested || cancellationToken.IsCancellationRequested)
        {
            // No repeat view after all: what was kept for it closes now, in the first view's record.
            await Task.WhenAll(kept.Select(c => c.CloseAsync(CloseReason.PageDone, graceful: true))).ConfigureAwait(false);
            return first;
        }

        // The same page again with the cache the first left, on new connections (a browser's would have gone idle)
        // unless --keep-connections hands the first view's idle ones on, on a clock and pool of its own: a whole
        // document. Its objects are not reported one by one as they finish (their ids would repeat the first view's);
        // the document carries them.
        await using (var repeat = new PageLoadRun(url, options, _limits, _timeProvider, _resolver, _destinations, null, cancellationToken, endRequest, _connectionLog, cache, proxies,
            keptConnections: kept))
            first.RepeatView = await repeat.RunAsync().ConfigureAwait(false);
        return first;
    }
}
