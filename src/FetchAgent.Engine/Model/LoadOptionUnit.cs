namespace FetchAgent.Engine.Model;

/// <summary>What a number-valued load option counts: <c>--help</c>, README and the OpenAPI description name it.</summary>
public enum LoadOptionUnit
{
    /// <summary>A count (connections, requests, objects) or not a number at all.</summary>
    None,

    Milliseconds,

    Bytes,
}
