namespace FetchAgent.Engine.Navigation;

/// <summary>A connection's proxy: where it goes, and the page's authentication with it and Proxy-Connection choice.</summary>
public sealed record ProxyHop(ProxyEndpoint Endpoint, ProxyAuthentication Authentication, bool SendProxyConnection, string UserAgent)
{
    /// <summary>
    /// The fields a request to the proxy adds: <c>Proxy-Authorization</c> once challenged, and <c>Proxy-Connection:
    /// keep-alive</c> only when asked for (the old browsers' hint; RFC 9112 §9.6 and Appendix C.2.2 say why modern clients do not send it).
    /// </summary>
    public IEnumerable<(string Name, string Value)> RequestFields()
    {
        if (Authentication.Field is { } token)
            yield return (ProxyAuthentication.FieldName, token);
        if (SendProxyConnection)
            yield return ("Proxy-Connection", "keep-alive");
    }
}
