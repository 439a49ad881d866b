using System.Text.Json;

namespace FetchAgent.Api;

/// <summary>Reads a JSON request body with a size cap; malformed JSON is a field error on <c>body</c>, not a crash.</summary>
internal static class RequestBody
{
    public const int MaxBytes = 64 * 1024;

    public static Task<(JsonElement Body, string? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken) =>
        ReadAsync(request, MaxBytes, 16, cancellationToken);

    /// <summary>A body of up to <paramref name="maxBytes"/> (a HAR file is far bigger than a load request) and <paramref name="maxDepth"/>.</summary>
    public static async Task<(JsonElement Body, string? Problem)> ReadAsync(HttpRequest request, int maxBytes, int maxDepth, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
            return (default, $"must be at most {maxBytes} bytes");
        try
        {
            using var limited = new MemoryStream();
            var buffer = new byte[8192];
            int read;
            while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (limited.Length + read > maxBytes)
                    return (default, $"must be at most {maxBytes} bytes");
                limited.Write(buffer, 0, read);
            }

            if (limited.Length == 0)
                return (default, "is required: a JSON object");
            using var document = JsonDocument.Parse(limited.ToArray(), new JsonDocumentOptions { MaxDepth = maxDepth });
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException e)
        {
            return (default, $"is not valid JSON: {e.Message}");
        }
    }
}
