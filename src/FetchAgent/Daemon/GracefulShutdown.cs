using Microsoft.Extensions.Options;

namespace FetchAgent.Daemon;

/// <summary>At start, loads a crash left <c>running</c> become <c>failed</c>; at stop, running loads finish or are marked failed.</summary>
public sealed class GracefulShutdown(PageLoadService loads, FetchAgent.Storage.IPageLoadStore store, IOptions<DaemonOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken) =>
        await store.FailRunningAsync("daemon stopped while the load was running", cancellationToken).ConfigureAwait(false);

    public Task StopAsync(CancellationToken cancellationToken) =>
        loads.StopAsync(TimeSpan.FromSeconds(options.Value.ShutdownGraceSeconds));
}
