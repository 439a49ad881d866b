namespace FetchAgent.Engine.Http1;

/// <summary>The HTTP/1.0 <c>Keep-Alive: timeout=N, max=M</c> header (RFC 2068 §19.7.1.1, the chapter's "Keep-Alive options").</summary>
public readonly record struct KeepAliveParameters(int? TimeoutSeconds, int? MaxRequests)
{
    /// <summary>The parameters of the response's Keep-Alive header; both null when absent or unreadable.</summary>
    public static KeepAliveParameters From(ResponseHead head) => throw new NotImplementedException();
}
