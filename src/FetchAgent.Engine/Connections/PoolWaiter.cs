namespace FetchAgent.Engine.Connections;

/// <summary>A request waiting for a connection of its origin, and what kind of lease it may take.</summary>
internal sealed class PoolWaiter
{
    public PoolWaiter(ExchangeRequest request, LeaseKind kind)
    {
        Request = request;
        Kind = kind;
    }

    public ExchangeRequest Request { get; }
    public LeaseKind Kind { get; }
    public TaskCompletionSource<Lease> Lease { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public bool IsLive => !Lease.Task.IsCompleted;

    /// <summary>May take an idle or busy connection that already carried requests.</summary>
    public bool TakesReused => Kind != LeaseKind.NewOnly;
}

/// <summary>What a request will accept from the pool.</summary>
internal enum LeaseKind
{
    /// <summary>An idle connection or a new one.</summary>
    Any,

    /// <summary>Also a busy connection that takes one more: on HTTP/1.1 its pipeline (pipelined strategy, idempotent request).</summary>
    MayShare,

    /// <summary>Only a new connection: the retry after a reused connection was closed under the request.</summary>
    NewOnly,
}
