using FetchAgent.Engine.Navigation;
using FetchAgent.Engine.Timeline;

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

    /// <summary>
    /// The HTML and CSS parsers' first use costs a JIT warm-up of ~100 ms; it runs once per process,
    /// in the background while the first document is on the wire, so it is not charged to the page.
    /// </summary>
    private static readonly Lazy<Task> ParserWarmUp = new(() => Task.Run(() =>
    {
        var url = new Uri("http://warm-up.invalid/");
        HtmlDiscovery.Discover("<link rel=stylesheet href=a.css><img srcset='b.png 1x'><style>@import 'c.css';</style>"u8.ToArray(), "text/html", url);
        CssDiscovery.Discover("@import 'd.css'; a { background: url(e.png) }"u8.ToArray(), "text/css", url);
    }));

    /// <param name="timeProvider">The clock every phase is read from.</param>
    /// <param name="resolver">Step 2's resolver; the system's (getaddrinfo) when null.</param>
    public PageLoader(TimeProvider? timeProvider = null, HostResolver? resolver = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        _resolver = resolver;
        _ = ParserWarmUp.Value;
    }

    /// <param name="url">An absolute http or https URL (see <see cref="LoadOptions.ValidateUrl"/>).</param>
    /// <param name="options">The load options.</param>
    /// <param name="objectFinished">Called once per object as it finishes, from any thread.</param>
    /// <param name="cancellationToken">Stops the load; objects in flight are abandoned.</param>
    public async Task<PageLoadDocument> LoadAsync(Uri url, LoadOptions options, Action<ObjectRecord>? objectFinished = null, CancellationToken cancellationToken = default)
    {
        await using var run = new PageLoadRun(url, options, _timeProvider, _resolver, objectFinished, cancellationToken);
        return await run.RunAsync().ConfigureAwait(false);
    }
}
