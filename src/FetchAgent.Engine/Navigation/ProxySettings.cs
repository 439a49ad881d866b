using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Navigation;

/// <summary>
/// Which proxy, if any, a load's request goes through, as curl decides it: the <c>proxy</c> option when given (an empty
/// one turns every proxy off), else <c>http_proxy</c> for http URLs and <c>https_proxy</c> for https, each falling back
/// to <c>all_proxy</c>; then any host <c>--noproxy</c> (else <c>no_proxy</c>) names goes direct.
/// </summary>
public sealed class ProxySettings
{
    private readonly ProxyEndpoint? _http;
    private readonly ProxyEndpoint? _https;
    private readonly NoProxyList _bypass;

    private ProxySettings(ProxyEndpoint? http, ProxyEndpoint? https, NoProxyList bypass, ProxyCredentials? credentials, bool sendProxyConnection)
    {
        _http = http;
        _https = https;
        _bypass = bypass;
        Credentials = credentials;
        SendProxyConnection = sendProxyConnection;
    }

    /// <summary>No proxy at all: every request goes direct.</summary>
    public static ProxySettings Direct { get; } = new(null, null, NoProxyList.Empty, null, false);

    /// <summary>Sent once a proxy asks with 407 (<c>--proxy-user</c>, else the credentials of the variable's URL).</summary>
    public ProxyCredentials? Credentials { get; }

    /// <summary><c>--proxy-connection-header</c>: send <c>Proxy-Connection: keep-alive</c> to the proxy, as old browsers did.</summary>
    public bool SendProxyConnection { get; }

    public bool Any => _http is not null || _https is not null;

    /// <summary>
    /// The settings of one load. A value that is not a proxy URL in a variable is ignored (as curl, which then fails
    /// to connect, would not: a daemon should not refuse every load for its environment); the option is validated before.
    /// </summary>
    public static ProxySettings Resolve(LoadOptions options, ProxyEnvironment? environment, ProxyCredentials? proxyUser)
    {
        environment ??= ProxyEnvironment.None;
        ProxyCredentials? fromUrl = null;
        ProxyEndpoint? Read(string? text)
        {
            if (string.IsNullOrWhiteSpace(text))
                return null;
            var endpoint = ProxyEndpoint.Parse(text, out var credentials, out _);
            fromUrl ??= credentials;
            return endpoint;
        }

        ProxyEndpoint? http, https;
        if (options.Proxy is { } explicitProxy)
        {
            http = https = Read(explicitProxy);
        }
        else
        {
            http = Read(environment.HttpProxy) ?? Read(environment.AllProxy);
            https = Read(environment.HttpsProxy) ?? Read(environment.AllProxy);
        }

        if (http is null && https is null)
            return Direct;
        var bypass = NoProxyList.Parse(options.Noproxy ?? environment.NoProxy);
        return new ProxySettings(http, https, bypass, proxyUser ?? fromUrl, options.ProxyConnectionHeader);
    }

    /// <summary>The proxy a request to <paramref name="url"/> goes through, or null to go direct.</summary>
    public ProxyEndpoint? For(Uri url)
    {
        var proxy = url.Scheme == Uri.UriSchemeHttps ? _https : _http;
        return proxy is null || _bypass.Bypasses(Hostname.Extract(url), url.Port) ? null : proxy;
    }
}
