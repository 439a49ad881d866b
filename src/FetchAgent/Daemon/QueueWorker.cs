using System.Collections.Concurrent;
using FetchAgent.Storage;
using Microsoft.Extensions.Options;

namespace FetchAgent.Daemon;

/// <summary>
/// Issue 17, item 3: this agent's share of the work queue in the database (PostgreSQL). It takes loads while it
/// has room (<see cref="DaemonOptions.MaxConcurrentLoads"/> less the loads it runs or has waiting), renews the
/// leases of the ones it runs, gives each back to the queue once it is stored, and stores failed the loads of
/// agents that died on their last attempt. It wakes on the database's notification of a new or finished load,
/// else every <see cref="DaemonOptions.QueuePollMilliseconds"/>. With SQLite there is no queue and it does nothing.
/// </summary>
public sealed partial class QueueWorker(
    Stores stores, PageLoadService loads, IOptions<DaemonOptions> options, TimeProvider time, ILogger<QueueWorker> logger)
    : BackgroundService
{
    private readonly ConcurrentDictionary<long, LiveLoad> _running = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (stores.Queue is not { } queue)
            return;
        // A DELETE on any agent of a load this one runs stops it here (issue 17); its row is gone, so nothing is stored.
        // Off the listening loop: a cancel runs the load's cancellation callbacks (its sockets closing).
        using var cancellations = queue.WatchCancellations(id => _ = Task.Run(() => loads.Live(id)?.Cancel()));
        var settings = options.Value;
        var lease = TimeSpan.FromSeconds(settings.QueueLeaseSeconds);
        var renewEvery = lease / 3;
        var poll = TimeSpan.FromMilliseconds(Math.Min(settings.QueuePollMilliseconds, renewEvery.TotalMilliseconds));
        var lastRenewal = time.GetTimestamp();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (time.GetElapsedTime(lastRenewal) >= renewEvery && !_running.IsEmpty)
                {
                    await queue.RenewAsync(lease, stoppingToken).ConfigureAwait(false);
                    lastRenewal = time.GetTimestamp();
                }

                var expired = await queue.FailExpiredAsync(settings.QueueMaxAttempts, stoppingToken).ConfigureAwait(false);
                if (expired > 0)
                    LogExpired(expired);
                var room = settings.MaxConcurrentLoads - loads.Admitted;
                if (room > 0)
                {
                    foreach (var job in await queue.TakeAsync(room, lease, settings.QueueMaxAttempts, stoppingToken).ConfigureAwait(false))
                        Run(queue, job);
                }

                await queue.WaitForWorkAsync(poll, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (StorageFailure.From(e) is { } failure)
            {
                LogQueueFailed(failure.Cause);
                await Task.Delay(poll, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private void Run(IWorkQueue queue, QueuedLoad job)
    {
        if (!Uri.TryCreate(job.Url, UriKind.Absolute, out var url))
            return;
        LogTaken(job.Id, job.Url, job.Attempt);
        var live = loads.RunTaken(job.Id, url, job.Options);
        _running[job.Id] = live;
        _ = live.Completion.ContinueWith(async ended =>
        {
            // Renewals cover it until it leaves the queue; a failed removal leaves it to its lease (then failed or run again).
            try
            {
                await queue.DoneAsync(job.Id, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (StorageFailure.From(e) is { } failure)
            {
                LogQueueFailed(failure.Cause);
            }
            finally
            {
                _running.TryRemove(job.Id, out _);
            }
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "took queued page load {Id}: {Url} (attempt {Attempt})")]
    private partial void LogTaken(long id, string url, int attempt);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "{Count} queued page loads stored failed: their agent stopped renewing its lease on the last attempt")]
    private partial void LogExpired(int count);

    [LoggerMessage(EventId = 32, Level = LogLevel.Warning, Message = "work queue: {Cause}")]
    private partial void LogQueueFailed(string cause);
}
