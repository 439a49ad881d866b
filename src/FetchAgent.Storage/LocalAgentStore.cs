namespace FetchAgent.Storage;

/// <summary>
/// The agents of a database only one daemon uses (SQLite): this agent alone, from its last heartbeat, kept in memory.
/// Writing heartbeats into the file would go through its one writer and clear a full disk's unhealthy state.
/// </summary>
internal sealed class LocalAgentStore(AgentIdentity agent) : IAgentStore
{
    private AgentHeartbeat? _last;

    public Task HeartbeatAsync(AgentHeartbeat heartbeat, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        Volatile.Write(ref _last, heartbeat);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AgentStatus>> ListAsync(CancellationToken cancellationToken = default)
    {
        var last = Volatile.Read(ref _last);
        IReadOnlyList<AgentStatus> agents = last is null
            ? []
            : [new AgentStatus(agent.Name, agent.Location, last.Network, last.MaxConcurrentLoads, last.LoadsRunning, last.StartedAt, last.At)];
        return Task.FromResult(agents);
    }
}
