

namespace FetchAgent.Engine.Model;

/// <summary>The strategies as the contract spells them (<c>serial</c>, <c>pipelined</c>…), for the CLI, the API and HAR.</summary>
public static class ConnectionStrategyNames
{
    private static readonly Dictionary<string, ConnectionStrategy> ByName =
        Enum.GetValues<ConnectionStrategy>().ToDictionary(DocumentJson.Name, s => s, StringComparer.Ordinal);

    /// <summary>"serial, parallel, persistent, pipelined", for error messages.</summary>
    public static string List { get; } = string.Join(", ", ByName.Keys);

    public static bool TryParse(string? name, out ConnectionStrategy strategy) => ByName.TryGetValue(name ?? "", out strategy);
}
