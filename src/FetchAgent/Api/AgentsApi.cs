using FetchAgent.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FetchAgent.Api;

/// <summary>
/// Issue 17: <c>GET /api/agents</c>, the agents that store loads into this database (with PostgreSQL, every agent
/// sharing it; with SQLite, this one): name, location, network profile, last heartbeat and loads running.
/// </summary>
public static class AgentsApi
{
    public static RouteHandlerBuilder MapAgentsApi(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/agents", ListAsync).WithTags("Agents")
            .WithName("listAgents")
            .WithSummary("The agents that share this database, by name: location, network profile, loads running, last heartbeat.");

    private static async Task<Ok<AgentList>> ListAsync(IAgentStore agents, CancellationToken cancellationToken) =>
        TypedResults.Ok(new AgentList(await agents.ListAsync(cancellationToken)));
}

public sealed record AgentList(IReadOnlyList<AgentStatus> Items);
