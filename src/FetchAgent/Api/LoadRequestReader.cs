using System.Text.Json;
using FetchAgent.Engine.Model;

namespace FetchAgent.Api;

/// <summary>
/// Reads a load request's JSON by hand so that every problem names its field: a wrong type, a value
/// out of range, an unknown strategy, a field nobody knows (a typo would otherwise be ignored).
/// The option fields, their types and their messages are <see cref="LoadOptions.Catalog"/>'s.
/// </summary>
internal sealed class LoadRequestReader
{
    private static readonly HashSet<string> OptionFields = ["url", .. LoadOptions.Catalog.Select(o => o.Name)];

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

        // In the catalogue's order, so a body with several wrong fields names them as it always has.
        foreach (var option in LoadOptions.Catalog)
        {
            if (!body.TryGetProperty(option.Name, out var value))
                continue;
            options = option.Read(options, value, out var problem);
            if (problem is not null)
                Add(option.Name, problem);
        }

        foreach (var (field, problem) in options.Validate())
        {
            if (!_errors.ContainsKey(field))
                Add(field, problem);
        }

        return (url, options);
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
}
