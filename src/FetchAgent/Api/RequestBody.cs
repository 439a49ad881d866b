using System.Text.Json;

namespace FetchAgent.Api;

/// <summary>Reads a JSON request body with a size cap; malformed JSON is a field error on <c>body</c>, not a crash.</summary>
internal static class RequestBody
{
    public const int MaxBytes = 64 * 1024;

    public static async Task<(JsonElement Body, string? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
            return (default, $"must be at most {MaxBytes} bytes");
        try
        {
            using var limited = new MemoryStream();
            var buffer = new byte[8192];
            int read;
            while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (limited.Length + read > MaxBytes)
                    return (default, $"must be at most {MaxBytes} bytes");
                limited.Write(buffer, 0, read);
            }

            if (limited.Length == 0)
                return (default, "is required: a JSON object");
            using var document = JsonDocument.Parse(limited.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException e)
        {
            return (default, $"is not valid JSON: {e.Message}");
        }
    }
}
