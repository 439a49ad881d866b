using FetchAgent.Storage;
using Microsoft.Extensions.Options;

namespace FetchAgent.Daemon;

/// <summary>
/// Issue 17: the agent tells its database it is alive, what it is and how many loads it runs, at start and every
/// <see cref="DaemonOptions.HeartbeatSeconds"/>; <c>GET /api/agents</c> reads the beats. A beat the database
/// refuses is logged and tried again at the next one: it is not a load's write.
/// </summary>
public sealed partial class AgentHeartbeats(
    IAgentStore agents, AgentIdentity agent, PageLoadService loads, IOptions<DaemonOptions> options, TimeProvider time, ILogger<AgentHeartbeats> logger)
    : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();
    private Task _loop = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await BeatAsync(cancellationToken).ConfigureAwait(false);
        _loop = LoopAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task LoopAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, options.Value.HeartbeatSeconds)), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
                await BeatAsync(stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        try
        {
            var beat = new AgentHeartbeat(agent, options.Value.Network, options.Value.MaxConcurrentLoads, loads.LoadsRunning, _startedAt, time.GetUtcNow());
            await agents.HeartbeatAsync(beat, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (StorageFailure.From(e) is { } failure)
        {
            LogHeartbeatFailed(failure.Cause);
        }
    }

    public ValueTask DisposeAsync()
    {
        _stopping.Dispose();
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "agent heartbeat not stored: {Cause}")]
    private partial void LogHeartbeatFailed(string cause);
}
