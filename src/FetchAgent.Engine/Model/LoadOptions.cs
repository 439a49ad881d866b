namespace FetchAgent.Engine.Model;

/// <summary>The load options of the contract; the same names on the command line and in the REST body.</summary>
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

    /// <summary>The ranges a value may take; the CLI and the API name the field that is out of range.</summary>
    public IEnumerable<(string Field, string Problem)> Validate()
    {
        if (MaxConnectionsPerHost is < 1 or > 64)
            yield return ("maxConnectionsPerHost", "must be between 1 and 64");
        if (PipelineDepth is < 1 or > 64)
            yield return ("pipelineDepth", "must be between 1 and 64");
        if (ObjectTimeoutMs is < 1 or > 600_000)
            yield return ("objectTimeoutMs", "must be between 1 and 600000");
        if (ConnectTimeoutMs is < 1 or > 600_000)
            yield return ("connectTimeoutMs", "must be between 1 and 600000");
        if (MaxObjects is < 1 or > 10_000)
            yield return ("maxObjects", "must be between 1 and 10000");
        if (PageTimeoutMs is < 1 or > 3_600_000)
            yield return ("pageTimeoutMs", "must be between 1 and 3600000");
        if (MaxBodyBytes is < 1 or > 1L << 32)
            yield return ("maxBodyBytes", "must be between 1 and 4294967296");
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
