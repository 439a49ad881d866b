using System.Text.Json;
using FetchAgent.Storage;

namespace FetchAgent.Api;

/// <summary>
/// Issue 17: the REST body's <c>agent</c> and <c>location</c>: which agent (by name) or which place (by location
/// label) may run the load. Read beside the load options, not among them: they choose where a load runs, not how.
/// </summary>
internal sealed record AgentTargetFields(string? Agent, string? Location)
{
    public const string AgentName = "agent";
    public const string LocationName = "location";

    public bool Any => Agent is not null || Location is not null;

    /// <summary>Whether <paramref name="agent"/> may run a load with this target.</summary>
    public bool Matches(AgentIdentity agent) =>
        (Agent is null || string.Equals(Agent, agent.Name, StringComparison.Ordinal))
        && (Location is null || string.Equals(Location, agent.Location, StringComparison.Ordinal));

    public static AgentTargetFields Read(JsonElement body, LoadRequestReader reader) => new(Field(body, reader, AgentName), Field(body, reader, LocationName));

    private static string? Field(JsonElement body, LoadRequestReader reader, string name)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 and <= 200 } text || text.Trim() != text)
        {
            reader.Add(name, "must be a non-empty string of at most 200 characters, without surrounding spaces");
            return null;
        }

        return text;
    }
}
