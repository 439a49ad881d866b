namespace FetchAgent.Api;

/// <summary>The body of <c>POST /api/page-loads</c>: a URL and the contract's load options (all optional).</summary>
public sealed record PageLoadRequest(
    string Url,
    string? Strategy = null,
    int? MaxConnectionsPerHost = null,
    int? PipelineDepth = null,
    int? ObjectTimeoutMs = null,
    int? ConnectTimeoutMs = null,
    int? MaxObjects = null,
    long? MaxBodyBytes = null,
    bool? Insecure = null,
    int? PageTimeoutMs = null);

/// <summary>The body of <c>POST /api/comparisons</c>: the page-load fields plus the strategies and runs of each.</summary>
public sealed record ComparisonRequest(
    string Url,
    IReadOnlyList<string> Strategies,
    int? Runs = null,
    int? MaxConnectionsPerHost = null,
    int? PipelineDepth = null,
    int? ObjectTimeoutMs = null,
    int? ConnectTimeoutMs = null,
    int? MaxObjects = null,
    long? MaxBodyBytes = null,
    bool? Insecure = null,
    int? PageTimeoutMs = null);
