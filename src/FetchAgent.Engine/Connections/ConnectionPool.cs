using System.Collections.Concurrent;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Navigation;
using Microsoft.Extensions.Logging;

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
    private readonly ConnectionFactory _factory;
    private readonly ILogger? _logger;
    private readonly ConcurrentDictionary<ProxyEndpoint, ProxyHop> _hops = new();
    private readonly ProxySettings _proxies;
    private int _nextId;

    /// <param name="options">The load options.</param>
    /// <param name="clock">The page load's clock.</param>
    /// <param name="resolver">Step 2's resolver; the system's when null.</param>
    /// <param name="destinations">Where the load may connect; everywhere when null.</param>
    /// <param name="logger">
    /// Where every pool and connection decision is logged, at Debug (<see cref="ConnectionLog"/>); written when the
    /// connections are all closed, so no phase carries the logging. Nothing is noted when null or not enabled.
    /// </param>
    /// <param name="proxies">Which proxy each request goes through; direct when null.</param>
    public ConnectionPool(
        LoadOptions options, PageClock clock, HostResolver? resolver = null, DestinationPolicy? destinations = null, ILogger? logger = null,
        ProxySettings? proxies = null)
        : this(options, clock, ConnectionFactory.For(options), resolver, destinations, logger, proxies)
    {
    }

    internal ConnectionPool(
        LoadOptions options, PageClock clock, ConnectionFactory factory, HostResolver? resolver = null, DestinationPolicy? destinations = null, ILogger? logger = null,
        ProxySettings? proxies = null)
    {
        _proxies = proxies ?? ProxySettings.Direct;
        _options = options;
        _clock = clock;
        _factory = factory;
        Navigator = new Navigator(clock, new DnsCache(clock, resolver), options, destinations);
        SerialGate = options.Strategy == ConnectionStrategy.Serial ? new SemaphoreSlim(1, 1) : null;
        if (logger is not null && logger.IsEnabled(LogLevel.Debug))
        {
            _logger = logger;
            Trace = new PoolTrace(clock);
        }
    }

    internal Navigator Navigator { get; }
    internal PageClock Clock => _clock;
    internal LoadOptions Options => _options;

    /// <summary>The page's pool decisions, noted as they are made; null when nobody logs them.</summary>
    internal PoolTrace? Trace { get; }

    /// <summary>Serial strategy: one object at a time for the whole page.</summary>
    internal SemaphoreSlim? SerialGate { get; }

    /// <summary>Every connection opened so far, in the order they were opened.</summary>
    public IReadOnlyList<ConnectionRecord> Connections => _records.OrderBy(r => r.Id).ToList();

    /// <summary>
    /// The pool <paramref name="url"/> is requested on: its origin's when it goes direct, the origin's through the proxy
    /// for https (a tunnel per connection), the proxy's own for http (every origin's requests share its connections).
    /// </summary>
    internal Origin RouteFor(Uri url) => Origin.Route(url, _proxies.For(url));

    /// <summary>The pool of a request: <see cref="RouteFor(Uri)"/>, apart for a request without credentials.</summary>
    internal Origin RouteFor(ExchangeRequest request) => RouteFor(request.Url) with { Anonymous = request.Anonymous };

    /// <summary>The page's one authentication state per proxy, shared by its connections.</summary>
    internal ProxyHop? HopFor(Origin origin) =>
        origin.Via is { } via
            ? _hops.GetOrAdd(via, v => new ProxyHop(v, new ProxyAuthentication(_proxies.Credentials), _proxies.SendProxyConnection, Http1.RequestWriter.UserAgent))
            : null;

    internal OriginPool For(Origin origin) =>
        _origins.GetOrAdd(origin, o => new OriginPool(o, _options, _clock, Close, Trace));

    /// <summary>
    /// Opens a connection to the origin for a slot lease: the browser steps (DNS, TCP, TLS offering the factory's ALPN
    /// protocols), then the kind of connection the handshake settled on.
    /// </summary>
    /// <exception cref="NavigationException">A step failed; the attempt is recorded as a connection when TCP got as far as a SYN.</exception>
    internal async Task<PooledConnection> OpenAsync(Origin origin, CancellationToken cancellationToken)
    {
        var transport = await Navigator.OpenAsync(origin, _factory.ApplicationProtocols, cancellationToken, HopFor(origin)).ConfigureAwait(false);
        var connection = _factory.Create(Interlocked.Increment(ref _nextId), origin, transport, _clock, Trace);
        _records.Enqueue(connection.Record);
        Trace?.Opened(connection);
        try
        {
            await connection.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await Close(connection, CloseReason.Error, graceful: false).ConfigureAwait(false);
            throw;
        }

        return connection;
    }

    /// <summary>
    /// A connection that failed to open joins the list with its error, when TCP got as far as a SYN; a lookup that
    /// failed opened nothing (the object carries its DNS time). Returns its id, or null.
    /// </summary>
    internal int? RecordFailedAttempt(Origin origin, ConnectionAttempt attempt)
    {
        if (attempt.ConnectStart is null)
        {
            Trace?.FailedToOpen(null, origin, attempt);
            return null;
        }

        var id = Interlocked.Increment(ref _nextId);
        _records.Enqueue(ConnectionRecords.Failed(id, origin, attempt, _clock));
        Trace?.FailedToOpen(id, origin, attempt);
        return id;
    }

    private Task Close(PooledConnection connection, CloseReason reason, bool graceful)
    {
        var closing = connection.CloseAsync(reason, graceful);
        _closing.Enqueue(closing);
        return closing;
    }

    /// <summary>
    /// <c>--keep-connections</c>: the idle connections that may carry another request leave this view's pool open, for
    /// the repeat view (<see cref="Adopt"/>); call before <see cref="CloseAllAsync"/>, which closes the rest.
    /// </summary>
    internal List<PooledConnection> TakeIdleForNextView() => _origins.Values.SelectMany(pool => pool.TakeIdleForNextView()).ToList();

    /// <summary>
    /// <c>--keep-connections</c>: the connections an earlier view left idle join this view's pools, each with an id
    /// and a record of this view's (<see cref="PooledConnection.MoveToView"/>), before the first request.
    /// </summary>
    internal void Adopt(IEnumerable<PooledConnection> connections)
    {
        foreach (var connection in connections)
        {
            connection.MoveToView(Interlocked.Increment(ref _nextId), _clock, Trace);
            _records.Enqueue(connection.Record);
            For(connection.Origin).AdoptIdle(connection);
        }
    }

    /// <summary>
    /// The page load is done: close what is still open, gracefully, and wait for every close. Then, when a logger was
    /// given, the page's pool decisions are written to it, in the order they happened.
    /// </summary>
    public async Task CloseAllAsync()
    {
        foreach (var pool in _origins.Values)
        {
            foreach (var connection in pool.TakeAll())
                _closing.Enqueue(connection.CloseAsync(CloseReason.PageDone, graceful: true));
        }

        await Task.WhenAll(_closing.ToArray()).ConfigureAwait(false);
        if (_logger is not null)
            Trace?.WriteTo(_logger);
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAllAsync().ConfigureAwait(false);
        SerialGate?.Dispose();
    }
}
