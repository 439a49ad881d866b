namespace FetchAgent.Engine.Navigation;

/// <summary>Scheme + host + port (RFC 6454): connection limits and reuse are per origin.</summary>
public sealed record Origin(string Scheme, string Host, int Port)
{
    public bool IsHttps => Scheme == Uri.UriSchemeHttps;

    /// <summary>
    /// The proxy this pool's connections go through, or null for direct ones. For https the pool is the origin's, each
    /// connection a CONNECT tunnel to it; for http the pool is the proxy's (<see cref="Host"/> and <see cref="Port"/> are
    /// the proxy's), its connections carry requests for any origin in absolute-form, and its limit counts connections
    /// to the proxy, as browsers count them.
    /// </summary>
    public ProxyEndpoint? Via { get; init; }

    /// <summary>An http pool through a proxy: requests go in absolute-form (RFC 9112 §3.2.2) to the proxy.</summary>
    /// <summary>
    /// A pool for requests sent without credentials (CORS anonymous: fonts from another origin), kept apart from the
    /// origin's credentialed requests, as Chromium keeps its socket pools apart by privacy mode.
    /// </summary>
    public bool Anonymous { get; init; }

    public bool IsForwarding => Via is not null && !IsHttps;

    /// <summary>The pool of connections <paramref name="url"/> is requested on: its origin's, or through <paramref name="proxy"/>.</summary>
    public static Origin Route(Uri url, ProxyEndpoint? proxy) =>
        proxy is null ? From(url)
        : url.Scheme == Uri.UriSchemeHttps ? From(url) with { Via = proxy }
        : new Origin(Uri.UriSchemeHttp, proxy.Host, proxy.Port) { Via = proxy };

    /// <summary>The chapter's first steps: extract the hostname, then find the port (explicit, or 80/443 by scheme).</summary>
    public static Origin From(Uri url) => new(url.Scheme, Hostname.Extract(url), url.Port);

    public override string ToString() =>
        IsForwarding ? $"proxy {Via}"
        : (Host.Contains(':') ? $"{Scheme}://[{Host}]:{Port}" : $"{Scheme}://{Host}:{Port}") + (Via is null ? "" : $" via proxy {Via}");
}
