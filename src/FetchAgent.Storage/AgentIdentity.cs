namespace FetchAgent.Storage;

/// <summary>
/// Issue 17: who runs loads into a store: the agent's name (<c>FetchAgent:AgentName</c>, the host name unless set)
/// and its location label (<c>FetchAgent:Location</c>), recorded on every load it stores.
/// </summary>
public sealed record AgentIdentity(string Name, string? Location = null)
{
    /// <summary>This machine's host name and no location: what an agent is called unless configured.</summary>
    public static AgentIdentity Default { get; } = new(Environment.MachineName);

    /// <summary>The configured name (the host name when empty) and location (none when empty).</summary>
    public static AgentIdentity Of(string? name, string? location) =>
        new(string.IsNullOrWhiteSpace(name) ? Environment.MachineName : name.Trim(), string.IsNullOrWhiteSpace(location) ? null : location.Trim());

    /// <summary>Names this agent on a document about to be stored (and its repeat view), unless it already names one.</summary>
    public void Stamp(FetchAgent.Engine.Model.PageLoadDocument document)
    {
        if (document.Agent is null)
        {
            document.Agent = Name;
            document.Location = Location;
        }

        if (document.RepeatView is { } repeat)
            Stamp(repeat);
    }
}
