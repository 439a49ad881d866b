namespace FetchAgent.Engine.Model;

/// <summary>
/// The load options of the contract; the same names on the command line and in the REST body. This file is each
/// option's one home: its property (the default is the initializer) is what the engine reads, and its entry in
/// <see cref="Catalog"/> is what users meet (CLI flag and help, REST field, OpenAPI schema, range, README's table).
/// A new option is a property and a catalogue entry here, and the engine code that uses it.
/// </summary>
public sealed record LoadOptions
{
    public const int MaxUrlLength = 2048;

    public ConnectionStrategy Strategy { get; init; } = ConnectionStrategy.Persistent;

    /// <summary>Open connections per origin at once.</summary>
    public int MaxConnectionsPerHost { get; init; } = 2;

    /// <summary>Requests in flight per connection (<see cref="ConnectionStrategy.Pipelined"/> only).</summary>
    public int PipelineDepth { get; init; } = 4;

    /// <summary>Whole-exchange deadline per object, blocked time included.</summary>
    public int ObjectTimeoutMs { get; init; } = 30_000;

    /// <summary>DNS + TCP + TLS deadline for one connection.</summary>
    public int ConnectTimeoutMs { get; init; } = 10_000;

    /// <summary>Objects per page load; discovery stops there.</summary>
    public int MaxObjects { get; init; } = 500;

    /// <summary>Per object; past it the object fails with <c>body too large</c>.</summary>
    public long MaxBodyBytes { get; init; } = 50L * 1024 * 1024;

    /// <summary>Accept any TLS certificate.</summary>
    public bool Insecure { get; init; }

    /// <summary>The whole page load's deadline: objects still in flight then end with <c>timeout: page deadline</c>.</summary>
    public int PageTimeoutMs { get; init; } = 120_000;

    /// <summary>Leave Nagle's algorithm on (TCP_NODELAY off), as the chapter's demonstration of its stall needs.</summary>
    public bool Nagle { get; init; }

    /// <summary>Write each request in two writes, the request line and then the header fields (the chapter's small segments).</summary>
    public bool SplitRequest { get; init; }

    /// <summary>
    /// Load the page twice, as WebPageTest's first and repeat view: the first with an empty HTTP cache (RFC 9111),
    /// the second with the cache the first left, on new connections. The first view's document carries the second
    /// as <see cref="PageLoadDocument.RepeatView"/>.
    /// </summary>
    public bool RepeatView { get; init; }

    /// <summary>
    /// With <see cref="ConnectionStrategy.Multiplexed"/>: speak HTTP/2 over plain TCP (h2c) without asking first, as
    /// curl's <c>--http2-prior-knowledge</c> does (RFC 9113 §3.3). Without it, http:// origins get HTTP/1.1.
    /// </summary>
    public bool Http2PriorKnowledge { get; init; }

    /// <summary>
    /// The HTTP proxy every request goes through (<c>http://host:port</c>); null: the environment's <c>http_proxy</c>,
    /// <c>https_proxy</c>, <c>all_proxy</c> decide; empty: no proxy at all (as curl's <c>--proxy ""</c>).
    /// </summary>
    public string? Proxy { get; init; }

    /// <summary>Hosts that go direct, as curl's <c>--noproxy</c>: <c>*</c>, names (and every host under them), IPs, networks, <c>:port</c>; null: <c>no_proxy</c>.</summary>
    public string? Noproxy { get; init; }

    /// <summary>Send <c>Proxy-Connection: keep-alive</c> to the proxy, the old browsers' workaround for dumb proxies.</summary>
    public bool ProxyConnectionHeader { get; init; }

    /// <summary>
    /// With <see cref="RepeatView"/>: the connections the first view left idle stay open and carry the repeat view's
    /// requests (a return visit soon enough that the browser's connections had not gone idle); without it the repeat
    /// view opens its own.
    /// </summary>
    public bool KeepConnections { get; init; }

    /// <summary>
    /// Emulated network (issue 13): the round trip every connection pays, in ms; 0 for none (or the profile's).
    /// Applied in FetchAgent's own transport, per connection (see README "Emulated network conditions").
    /// </summary>
    public int RttMs { get; init; }

    /// <summary>Emulated download bandwidth shared by all of the load's connections, kbit/s; 0 for unlimited (or the profile's).</summary>
    public int DownKbps { get; init; }

    /// <summary>Emulated upload bandwidth shared by all of the load's connections, kbit/s; 0 for unlimited (or the profile's).</summary>
    public int UpKbps { get; init; }

    /// <summary>A named network profile with WebPageTest's figures (3g, 4g, cable, dsl, fios); explicit values above override its.</summary>
    public string? Network { get; init; }

    /// <summary>
    /// Fonts from another origin than the page's share that origin's connections; by default they get connections of
    /// their own, as Chromium sends them without credentials (CORS) and keeps such requests on other sockets.
    /// </summary>
    public bool SharedFontConnections { get; init; }

    /// <summary>
    /// Turns Blink's tight mode off: by default, until the parser reaches <c>&lt;body&gt;</c>, the page's requests below
    /// High priority (images, async and deferred scripts, other fetches) start only while fewer than two of its
    /// requests are in flight, as Chromium holds them; with this, every request goes to its pool's queue at once.
    /// </summary>
    public bool NoTightMode { get; init; }

    /// <summary>
    /// Every option, in the order of the properties above (the document's <c>options</c> writes them so): its name
    /// and flag come from the property's name, its default from the property's initializer.
    /// </summary>
    public static LoadOptionCatalog Catalog { get; } = new(
    [
        new ChoiceOption<ConnectionStrategy>(nameof(Strategy), "how objects are put on connections",
            o => o.Strategy, (o, v) => o with { Strategy = v }),
        WholeNumberOption.Int32(nameof(MaxConnectionsPerHost), 1, 64, LoadOptionUnit.None, "open connections per origin at once",
            o => o.MaxConnectionsPerHost, (o, v) => o with { MaxConnectionsPerHost = v }, sweepable: true),
        WholeNumberOption.Int32(nameof(PipelineDepth), 1, 64, LoadOptionUnit.None, "requests in flight per connection, pipelined only",
            o => o.PipelineDepth, (o, v) => o with { PipelineDepth = v }, sweepable: true),
        WholeNumberOption.Int32(nameof(ObjectTimeoutMs), 1, 600_000, LoadOptionUnit.Milliseconds, "whole-exchange deadline per object, queueing included",
            o => o.ObjectTimeoutMs, (o, v) => o with { ObjectTimeoutMs = v }),
        WholeNumberOption.Int32(nameof(ConnectTimeoutMs), 1, 600_000, LoadOptionUnit.Milliseconds, "DNS + TCP + TLS deadline per connection",
            o => o.ConnectTimeoutMs, (o, v) => o with { ConnectTimeoutMs = v }),
        WholeNumberOption.Int32(nameof(MaxObjects), 1, 10_000, LoadOptionUnit.None, "objects per page load; discovery stops there",
            o => o.MaxObjects, (o, v) => o with { MaxObjects = v }),
        WholeNumberOption.Int64(nameof(MaxBodyBytes), 1, 1L << 32, LoadOptionUnit.Bytes, "per object; past it the object fails with 'body too large'",
            o => o.MaxBodyBytes, (o, v) => o with { MaxBodyBytes = v }),
        new SwitchOption(nameof(Insecure), "accept any TLS certificate",
            o => o.Insecure, (o, v) => o with { Insecure = v }),
        WholeNumberOption.Int32(nameof(PageTimeoutMs), 1, 3_600_000, LoadOptionUnit.Milliseconds,
            "the whole page load's deadline; past it the load is partial",
            o => o.PageTimeoutMs, (o, v) => o with { PageTimeoutMs = v }),
        new SwitchOption(nameof(Nagle), "leave Nagle's algorithm on (TCP_NODELAY off); with --split-request it shows the delayed-ACK stall",
            o => o.Nagle, (o, v) => o with { Nagle = v }),
        new SwitchOption(nameof(SplitRequest), "write the request line and the header fields in two writes",
            o => o.SplitRequest, (o, v) => o with { SplitRequest = v }),
        new SwitchOption(nameof(RepeatView), "load the page again with the HTTP cache the first view left (first view, repeat view)",
            o => o.RepeatView, (o, v) => o with { RepeatView = v }),
        new SwitchOption(nameof(Http2PriorKnowledge), "multiplexed only: speak HTTP/2 (h2c) on http:// origins without upgrade",
            o => o.Http2PriorKnowledge, (o, v) => o with { Http2PriorKnowledge = v }),
        new TextOption(nameof(Proxy), "URL", "http://127.0.0.1:3128",
            "the HTTP proxy, http://host:port; empty for none; when not given, http_proxy, https_proxy, all_proxy decide",
            o => o.Proxy, (o, v) => o with { Proxy = v }, ValidateProxy),
        new TextOption(nameof(Noproxy), "HOSTS", "*",
            "hosts that go direct, comma-separated: *, names with their subdomains, IPs, networks, :port; when not given, no_proxy",
            o => o.Noproxy, (o, v) => o with { Noproxy = v }, _ => null),
        new SwitchOption(nameof(ProxyConnectionHeader), "send Proxy-Connection: keep-alive to the proxy, as old browsers did",
            o => o.ProxyConnectionHeader, (o, v) => o with { ProxyConnectionHeader = v }),
        new SwitchOption(nameof(KeepConnections), "with --repeat-view: the repeat view reuses the connections the first view left open",
            o => o.KeepConnections, (o, v) => o with { KeepConnections = v }),
        WholeNumberOption.Int32(nameof(RttMs), 0, 10_000, LoadOptionUnit.Milliseconds,
            "emulated round-trip time per connection; 0 for none (or the --network profile's)",
            o => o.RttMs, (o, v) => o with { RttMs = v }),
        WholeNumberOption.Int32(nameof(DownKbps), 0, 10_000_000, LoadOptionUnit.None,
            "emulated download bandwidth in kbit/s, shared by the load's connections; 0 for unlimited (or the profile's)",
            o => o.DownKbps, (o, v) => o with { DownKbps = v }),
        WholeNumberOption.Int32(nameof(UpKbps), 0, 10_000_000, LoadOptionUnit.None,
            "emulated upload bandwidth in kbit/s, shared by the load's connections; 0 for unlimited (or the profile's)",
            o => o.UpKbps, (o, v) => o with { UpKbps = v }),
        new TextOption(nameof(Network), "PROFILE", "3g",
            "an emulated network profile with WebPageTest's figures: 3g, 4g, cable, dsl, fios",
            o => o.Network, (o, v) => o with { Network = v }, ValidateNetwork),
        new SwitchOption(nameof(SharedFontConnections),
            "fonts from another origin share its connections (browsers give these CORS requests connections of their own)",
            o => o.SharedFontConnections, (o, v) => o with { SharedFontConnections = v }),
        new SwitchOption(nameof(NoTightMode),
            "request images and async scripts at once; by default they wait while 2 requests are in flight until the body is parsed, as Chromium's tight mode",
            o => o.NoTightMode, (o, v) => o with { NoTightMode = v }),
    ]);

    /// <summary>One of the profiles README lists (<see cref="NetworkProfiles"/> holds their figures), or empty for none.</summary>
    private static string? ValidateNetwork(string text) =>
        text.Length == 0 || NetworkProfiles.ByName.ContainsKey(text) ? null : "must be one of 3g, 4g, cable, dsl, fios (or empty for none)";

    /// <summary>The names of the emulated network profiles, in README's order (their figures are <see cref="NetworkProfiles"/>').</summary>
    public static IReadOnlyList<string> NetworkProfileNames => [.. NetworkProfiles.ByName.Keys];

    /// <summary>
    /// An http proxy URL with a host and a port in range, and no credentials: those go in <c>--proxy-user</c>, which is
    /// never stored, while this option is stored with the load.
    /// </summary>
    private static string? ValidateProxy(string text)
    {
        if (ProxyUrl.Read(text, out _, out _, out var userInfo) is { } problem)
            return problem;
        return userInfo is null ? null : "must not carry credentials: give them with --proxy-user (REST proxyUser), which is never stored";
    }

    /// <summary>The ranges a value may take (<see cref="Catalog"/>); the CLI and the API name the field that is out of range.</summary>
    public IEnumerable<(string Field, string Problem)> Validate()
    {
        foreach (var option in Catalog)
        {
            if (option.Check(this) is { } problem)
                yield return (option.Name, problem);
        }
    }

    /// <summary>An absolute http or https URL of at most 2048 characters, or the reason it is not.</summary>
    public static string? ValidateUrl(string? url, out Uri? uri)
    {
        uri = null;
        if (string.IsNullOrWhiteSpace(url))
            return "is required";
        if (url.Length > MaxUrlLength)
            return $"must be at most {MaxUrlLength} characters";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
            return "must be an absolute http or https URL";
        if (string.IsNullOrEmpty(parsed.Host))
            return "must name a host";
        uri = parsed;
        return null;
    }
}
