using FetchAgent.Engine.Model;

namespace FetchAgent.Storage;

/// <summary>
/// Issue 17, item 3: loads waiting in the database for any agent that shares it (PostgreSQL only; a SQLite file has
/// one daemon, which runs what it is given). An agent takes loads up to its own capacity, holds each by a lease it
/// renews while the load runs, and gives the load back by storing it. A load whose agent stopped renewing (it died)
/// is taken again by another, or after <c>maxAttempts</c> stored <c>failed</c> with the reason: never left running.
/// </summary>
public interface IWorkQueue
{
    /// <summary>Records a load as running (no agent yet) and queues it, in one transaction; returns its id.</summary>
    /// <param name="agent">Only this agent may take it; any when null.</param>
    /// <param name="location">Only an agent with this location label may take it; any when null.</param>
    Task<long> EnqueueAsync(string url, LoadOptions options, DateTimeOffset enqueuedAt, string? agent, string? location, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes up to <paramref name="max"/> loads this agent may run (oldest first; loads other agents are taking are
    /// skipped, not waited for), leased for <paramref name="lease"/>; each load now names this agent.
    /// </summary>
    Task<IReadOnlyList<QueuedLoad>> TakeAsync(int max, TimeSpan lease, int maxAttempts, CancellationToken cancellationToken = default);

    /// <summary>Extends the lease of every load this agent holds; returns how many it holds.</summary>
    Task<int> RenewAsync(TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>The load is stored (or cancelled): it leaves the queue.</summary>
    Task DoneAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Loads whose lease ran out after their last attempt: stored failed with the reason; returns how many.</summary>
    Task<int> FailExpiredAsync(int maxAttempts, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes load <paramref name="id"/> if it is still running (queued, or taken by any agent) and tells every agent
    /// to stop it (<see cref="WatchCancellations"/>); false when it is not running (finished, or no such load).
    /// </summary>
    Task<bool> CancelAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Calls <paramref name="cancelled"/> with the id of each load deleted by <see cref="CancelAsync"/> on any agent, until disposed.</summary>
    IDisposable WatchCancellations(Action<long> cancelled);

    /// <summary>Completes when a load may have been queued (the database's notification), or after <paramref name="timeout"/>.</summary>
    Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken = default);
}

/// <summary>A load taken from the queue: its id (already recorded, running), URL, options, and which attempt this is (1 for the first).</summary>
public sealed record QueuedLoad(long Id, string Url, LoadOptions Options, int Attempt);
