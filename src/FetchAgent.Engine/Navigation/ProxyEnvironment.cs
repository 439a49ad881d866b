namespace FetchAgent.Engine.Navigation;

/// <summary>
/// The proxy variables curl users know, read once from a process's environment: <c>http_proxy</c>,
/// <c>https_proxy</c>, <c>all_proxy</c> (the fallback for both schemes) and <c>no_proxy</c>, each lower-case first,
/// then upper-case. (curl ignores upper-case <c>HTTP_PROXY</c>, a guard for CGI programs where a request's
/// <c>Proxy:</c> header turns into that variable; FetchAgent is no CGI program and reads it.)
/// </summary>
public sealed record ProxyEnvironment(string? HttpProxy, string? HttpsProxy, string? AllProxy, string? NoProxy)
{
    public static ProxyEnvironment None { get; } = new(null, null, null, null);

    /// <summary>The variables of this process.</summary>
    public static ProxyEnvironment FromProcess() => From(Environment.GetEnvironmentVariable);

    public static ProxyEnvironment From(Func<string, string?> variable)
    {
        string? Read(string name) =>
            variable(name) is { Length: > 0 } lower ? lower : variable(name.ToUpperInvariant()) is { Length: > 0 } upper ? upper : null;
        return new ProxyEnvironment(Read("http_proxy"), Read("https_proxy"), Read("all_proxy"), Read("no_proxy"));
    }
}
