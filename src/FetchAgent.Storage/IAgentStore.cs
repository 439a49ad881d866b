namespace FetchAgent.Storage;

/// <summary>
/// Issue 17: the agents that store loads into one database, as <c>GET /api/agents</c> lists them. Each agent beats
/// its heart into it (what it is, how many loads it runs); with PostgreSQL every agent sharing the database is
/// listed, with SQLite (one machine, one daemon) only this one.
/// </summary>
public interface IAgentStore
{
    /// <summary>This agent is alive now, running <see cref="AgentHeartbeat.LoadsRunning"/> loads.</summary>
    Task HeartbeatAsync(AgentHeartbeat heartbeat, CancellationToken cancellationToken = default);

    /// <summary>Every agent known, by name.</summary>
    Task<IReadOnlyList<AgentStatus>> ListAsync(CancellationToken cancellationToken = default);
}

/// <summary>What an agent says of itself on each heartbeat.</summary>
/// <param name="Network">The agent's network profile label (<c>FetchAgent:Network</c>); null when it has none.</param>
public sealed record AgentHeartbeat(
    AgentIdentity Agent, string? Network, int MaxConcurrentLoads, int LoadsRunning, DateTimeOffset StartedAt, DateTimeOffset At);

/// <summary>One agent as <c>GET /api/agents</c> shows it.</summary>
public sealed record AgentStatus(
    string Name, string? Location, string? Network, int MaxConcurrentLoads, int LoadsRunning, DateTimeOffset StartedAt, DateTimeOffset LastHeartbeat);
