namespace FetchAgent.Engine.Http1;

/// <summary>One field line of a header or trailer section (RFC 9110 §5), as received.</summary>
public readonly record struct HeaderField(string Name, string Value);
