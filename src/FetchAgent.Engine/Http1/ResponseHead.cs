namespace FetchAgent.Engine.Http1;

/// <summary>The status line and header section of a final (non-1xx) response, RFC 9112 §4–5.</summary>
public sealed class ResponseHead
{
    public required int Major { get; init; }
    public required int Minor { get; init; }
    public required int StatusCode { get; init; }

    /// <summary>A status a browser follows to <c>Location</c> (RFC 9110 §15.4: 301, 302, 303, 307, 308).</summary>
    public bool IsRedirect => StatusCode is 301 or 302 or 303 or 307 or 308;
    public required string ReasonPhrase { get; init; }
    public required IReadOnlyList<HeaderField> Headers { get; init; }

    /// <summary>Bytes of the status line, field lines and the empty line of this final response.</summary>
    public required long HeaderBytes { get; init; }

    /// <summary><see cref="TimeProvider.GetTimestamp"/> when the first byte of this response (or of its first 1xx) arrived.</summary>
    public required long FirstByteTimestamp { get; init; }

    public string Version => Major >= 2 ? $"HTTP/{Major}" : $"HTTP/{Major}.{Minor}";

    /// <summary>All values of a field, case-insensitive name, in order (RFC 9110 §5.3).</summary>
    public IEnumerable<string> GetValues(string name)
    {
        foreach (var field in Headers)
        {
            if (string.Equals(field.Name, name, StringComparison.OrdinalIgnoreCase))
                yield return field.Value;
        }
    }

    /// <summary>The field's values combined with ", ", or null when absent.</summary>
    public string? Get(string name)
    {
        var values = GetValues(name).ToList();
        return values.Count == 0 ? null : string.Join(", ", values);
    }
}
