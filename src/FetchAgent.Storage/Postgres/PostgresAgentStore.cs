using Dapper;

namespace FetchAgent.Storage.Postgres;

/// <summary>
/// The agents that share a PostgreSQL database: each upserts its own row in <c>agents</c> on every heartbeat.
/// Heartbeats do not report to the database's health: a beat is not a load's write.
/// </summary>
internal sealed class PostgresAgentStore(PostgresDatabase database) : IAgentStore
{
    private const string Upsert =
        "INSERT INTO agents (name, location, network, max_loads, loads_running, started_at, last_heartbeat) " +
        "VALUES (@Name, @Location, @Network, @MaxLoads, @LoadsRunning, @StartedAt, @At) " +
        "ON CONFLICT (name) DO UPDATE SET location = excluded.location, network = excluded.network, max_loads = excluded.max_loads, " +
        "loads_running = excluded.loads_running, started_at = excluded.started_at, last_heartbeat = excluded.last_heartbeat;";

    public async Task HeartbeatAsync(AgentHeartbeat heartbeat, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(Upsert, new
        {
            heartbeat.Agent.Name,
            heartbeat.Agent.Location,
            heartbeat.Network,
            MaxLoads = (long)heartbeat.MaxConcurrentLoads,
            LoadsRunning = (long)heartbeat.LoadsRunning,
            StartedAt = heartbeat.StartedAt.ToUniversalTime(),
            At = heartbeat.At.ToUniversalTime(),
        }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AgentStatus>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<AgentRow>(new CommandDefinition(
            "SELECT name, location, network, max_loads, loads_running, started_at, last_heartbeat FROM agents ORDER BY name;",
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new AgentStatus(
            r.Name, r.Location, r.Network, checked((int)r.MaxLoads), checked((int)r.LoadsRunning),
            new DateTimeOffset(DateTime.SpecifyKind(r.StartedAt, DateTimeKind.Utc)), new DateTimeOffset(DateTime.SpecifyKind(r.LastHeartbeat, DateTimeKind.Utc)))).ToList();
    }

    private sealed class AgentRow
    {
        public string Name { get; set; } = "";
        public string? Location { get; set; }
        public string? Network { get; set; }
        public long MaxLoads { get; set; }
        public long LoadsRunning { get; set; }
        public DateTime StartedAt { get; set; }
        public DateTime LastHeartbeat { get; set; }
    }
}
