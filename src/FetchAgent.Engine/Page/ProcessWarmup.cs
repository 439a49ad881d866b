using System.Diagnostics;
using FetchAgent.Engine.Discovery.Html;
using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Page;

/// <summary>
/// Pays FetchAgent's own start-up before any page clock starts, so no phase of a real load holds it: the JIT of
/// every code path a load takes (sockets, DNS, TLS client, the HTTP/1.1 reader and writer, HTTP/2's frames, HPACK and streams, chunked and gzip bodies,
/// the pool under each strategy, AngleSharp, the CSS scanner, the timeline maths), and the system trust store that
/// the first TLS handshake loads (OpenSSL reads it even when certificates are not checked). It loads a small page
/// from an in-process loopback origin, with the real <see cref="PageLoader"/>, once per process.
/// </summary>
public static class ProcessWarmup
{
    private static readonly Lazy<Task<TimeSpan>> Once = new(RunAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<Task> EmulationOnce = new(() => Task.Run(() => QuietlyAsync(WarmEmulationAsync)), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Completes when the process is warm for a load with <paramref name="options"/>; the first caller starts the
    /// warm-up, later ones wait for it. The paths only some loads take are warmed the first time a load needs them:
    /// the emulated network's (a one-shot CLI that does not emulate does not pay for it).
    /// </summary>
    public static async Task EnsureAsync(LoadOptions options)
    {
        await Once.Value.ConfigureAwait(false);
        if (EmulatedNetwork.Of(options) is not null)
            await EmulationOnce.Value.ConfigureAwait(false);
    }

    /// <summary>Every part, for a long-lived process (the daemon) to pay at start.</summary>
    public static async Task EnsureAllAsync()
    {
        await Once.Value.ConfigureAwait(false);
        await EmulationOnce.Value.ConfigureAwait(false);
    }

    /// <summary>How long the warm-up took (once it ran); for diagnostics and the benchmark.</summary>
    public static async Task<TimeSpan> DurationAsync() => await Once.Value.ConfigureAwait(false);

    private static async Task<TimeSpan> RunAsync()
    {
        var started = Stopwatch.GetTimestamp();
        // Off the caller's thread (a CLI's Main, a request handler). Plain http and TLS run side by side: loading the
        // trust store is most of the TLS half, and it needs no JIT the http half is doing.
        var loader = new PageLoader(warm: true);
        await Task.WhenAll(Task.Run(() => QuietlyAsync(() => WarmHttpAsync(loader))), Task.Run(() => QuietlyAsync(() => WarmHttpsAsync(loader)))).ConfigureAwait(false);
        // The warm-up's garbage is collected now, not in a pause inside the first real load's phases.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return Stopwatch.GetElapsedTime(started);
    }

    private static async Task WarmHttpAsync(PageLoader loader)
    {
        // The preload scanner's every tokenizer state, before a real document streams through it.
        StreamingHtmlDiscovery.WarmUp();
        // HTTP/2's connection, codec and streams, which the HTTP/1.1 warm-up origins never reach.
        await Connections.Http2Connection.WarmUpAsync(url => LoadQuietlyAsync(loader, url, ConnectionStrategy.Multiplexed, priorKnowledge: true)).ConfigureAwait(false);
        await using var http = new WarmupOrigin(https: false);
        // "localhost" warms the resolver (answered from /etc/hosts, no DNS traffic).
        var localhost = new UriBuilder(http.Url("/r")) { Host = "localhost" }.Uri;
        await LoadQuietlyAsync(loader, localhost, ConnectionStrategy.Persistent).ConfigureAwait(false);
        await LoadQuietlyAsync(loader, http.Url("/"), ConnectionStrategy.Pipelined).ConfigureAwait(false);
        await LoadQuietlyAsync(loader, http.Url("/"), ConnectionStrategy.Parallel).ConfigureAwait(false);
        await LoadQuietlyAsync(loader, http.Url("/"), ConnectionStrategy.Serial).ConfigureAwait(false);
    }

    /// <summary>
    /// The emulated network's transport, pacing and slow start (--rtt-ms, --down-kbps): else their JIT lands in the
    /// first emulated load's connect, send and wait (2-14 ms each in a fresh CLI at --rtt-ms 50). The page's big image
    /// makes the pacing wait.
    /// </summary>
    private static async Task WarmEmulationAsync()
    {
        await using var http = new WarmupOrigin(https: false);
        await LoadQuietlyAsync(new PageLoader(warm: true), http.Url("/"), ConnectionStrategy.Persistent, emulate: true).ConfigureAwait(false);
        GC.Collect();
    }

    private static async Task WarmHttpsAsync(PageLoader loader)
    {
        await using var https = new WarmupOrigin(https: true);
        // Validation fails on the throwaway certificate, but the chain is built against the system store: loaded.
        await LoadQuietlyAsync(loader, https.Url("/"), ConnectionStrategy.Persistent).ConfigureAwait(false);
        // With the HTTP cache: store, freshness, a fresh hit and a revalidation answered 304 (else 60-70 methods, 20-30
        // ms of JIT in the first --repeat-view load). On the TLS half, which waits less than the plain half.
        await LoadQuietlyAsync(loader, https.Url("/"), ConnectionStrategy.Persistent, insecure: true, repeatView: true).ConfigureAwait(false);
    }

    /// <summary>
    /// A warm-up that fails (its own origin, not a page) leaves the process colder, never a real load failed: every
    /// load awaits this warm-up, so an exception here would be every load's.
    /// </summary>
    private static async Task QuietlyAsync(Func<Task> warm)
    {
        try
        {
            await warm().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Trace.TraceWarning($"FetchAgent warm-up failed: {e.Message}");
        }
    }

    private static async Task LoadQuietlyAsync(
        PageLoader loader, Uri url, ConnectionStrategy strategy, bool insecure = false, bool priorKnowledge = false, bool emulate = false, bool repeatView = false)
    {
        try
        {
            var options = new LoadOptions
            {
                Strategy = strategy, Insecure = insecure, Http2PriorKnowledge = priorKnowledge, RepeatView = repeatView, ObjectTimeoutMs = 10_000, ConnectTimeoutMs = 5_000,
            };
            if (emulate)
                options = options with { RttMs = 2, DownKbps = 20_000, UpKbps = 20_000 };
            var document = await loader.LoadAsync(url, options).ConfigureAwait(false);
            _ = DocumentJson.Options; // the serializer's options, built once
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The warm-up only prepares the process; a real load reports its own errors.
        }
    }
}
