using System.Text.Json;
using FetchAgent.Engine.Model;

namespace FetchAgent.Api;

/// <summary>
/// Reads a load request's JSON by hand so that every problem names its field: a wrong type, a value
/// out of range, an unknown strategy, a field nobody knows (a typo would otherwise be ignored).
/// </summary>
internal sealed class LoadRequestReader
{
    private static readonly HashSet<string> OptionFields =
        ["url", "strategy", "maxConnectionsPerHost", "pipelineDepth", "objectTimeoutMs", "connectTimeoutMs", "maxObjects", "maxBodyBytes", "insecure", "pageTimeoutMs"];

    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool HasErrors => _errors.Count > 0;

    public IDictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public void Add(string field, string problem)
    {
        if (!_errors.TryGetValue(field, out var list))
            _errors[field] = list = [];
        list.Add(problem);
    }

    /// <summary>The URL and options; <paramref name="extraFields"/> are the caller's own (e.g. strategies, runs).</summary>
    public (Uri? Url, LoadOptions Options) Read(JsonElement body, IReadOnlySet<string> extraFields)
    {
        var options = new LoadOptions();
        Uri? url = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            Add("body", "must be a JSON object");
            return (null, options);
        }

        foreach (var property in body.EnumerateObject())
        {
            if (!OptionFields.Contains(property.Name) && !extraFields.Contains(property.Name))
                Add(property.Name, "is not a known field");
        }

        if (!body.TryGetProperty("url", out var urlElement) || urlElement.ValueKind != JsonValueKind.String)
            Add("url", urlElement.ValueKind == JsonValueKind.Undefined ? "is required" : "must be a string");
        else if (LoadOptions.ValidateUrl(urlElement.GetString(), out var parsed) is { } urlProblem)
            Add("url", urlProblem);
        else
            url = parsed;

        if (String(body, "strategy") is { } strategy)
        {
            if (ConnectionStrategyNames.TryParse(strategy, out var parsedStrategy))
                options = options with { Strategy = parsedStrategy };
            else
                Add("strategy", $"unknown strategy '{strategy}': {ConnectionStrategyNames.List}");
        }

        options = options with
        {
            MaxConnectionsPerHost = Int(body, "maxConnectionsPerHost") ?? options.MaxConnectionsPerHost,
            PipelineDepth = Int(body, "pipelineDepth") ?? options.PipelineDepth,
            ObjectTimeoutMs = Int(body, "objectTimeoutMs") ?? options.ObjectTimeoutMs,
            ConnectTimeoutMs = Int(body, "connectTimeoutMs") ?? options.ConnectTimeoutMs,
            MaxObjects = Int(body, "maxObjects") ?? options.MaxObjects,
            MaxBodyBytes = Long(body, "maxBodyBytes") ?? options.MaxBodyBytes,
            Insecure = Bool(body, "insecure") ?? options.Insecure,
            PageTimeoutMs = Int(body, "pageTimeoutMs") ?? options.PageTimeoutMs,
        };
        foreach (var (field, problem) in options.Validate())
        {
            if (!_errors.ContainsKey(field))
                Add(field, problem);
        }

        return (url, options);
    }

    public string? String(JsonElement body, string field)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == JsonValueKind.String)
            return value.GetString();
        Add(field, "must be a string");
        return null;
    }

    public int? Int(JsonElement body, string field)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
            return number;
        Add(field, "must be a whole number");
        return null;
    }

    private long? Long(JsonElement body, string field)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
            return number;
        Add(field, "must be a whole number");
        return null;
    }

    private bool? Bool(JsonElement body, string field)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            return value.GetBoolean();
        Add(field, "must be true or false");
        return null;
    }
}
