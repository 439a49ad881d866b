namespace FetchAgent.Api;

/// <summary>
/// The body of <c>POST /api/page-loads</c>: a URL and the contract's load options (all optional). The options'
/// schema comes from the catalogue (<see cref="LoadOptionSchemas"/>), as <see cref="LoadRequestReader"/> reads them.
/// </summary>
/// <param name="Url">The page.</param>
/// <param name="ProxyUser">Basic credentials, user:pass, for a proxy that answers 407 (CLI: --proxy-user); used for this load only, never stored or shown.</param>
/// <param name="Agent">Issue 17: only the agent of this name may run the load (with PostgreSQL's queue: <c>?wait=false</c>).</param>
/// <param name="Location">Issue 17: only an agent with this location label may run the load.</param>
[LoadOptionFields]
public sealed record PageLoadRequest(string Url, string? ProxyUser = null, string? Agent = null, string? Location = null);

/// <summary>
/// The body of <c>POST /api/comparisons</c>: the page-load fields plus the strategies and runs of each; a sweepable
/// option may be an array. The strategy of each load comes from <c>strategies</c>, so the schema leaves <c>strategy</c> out.
/// </summary>
[LoadOptionFields(Sweeps = true, Omit = ["strategy"])]
public sealed record ComparisonRequest(
    string Url,
    IReadOnlyList<string> Strategies,
    int? Runs = null,
    string? ProxyUser = null);
