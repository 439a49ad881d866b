using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace FetchAgent.Api;

/// <summary>
/// Makes <c>/openapi/v1.json</c> something a client generator can use: every status the API answers is declared
/// on the operations that can answer it, as a problem document (RFC 9457).
/// </summary>
internal static class OpenApiDocumentRules
{
    public static void Configure(OpenApiOptions options)
    {
        options.AddOperationTransformer(DeclareStatuses);
        options.AddSchemaTransformer(LoadOptionSchemas.Describe);
        options.AddSchemaTransformer(MarkRequired);
        options.AddDocumentTransformer((document, _, _) =>
        {
            // The problem document every error answer carries (RFC 9457), for the responses declared above.
            document.Components ??= new OpenApiComponents();
            document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            document.Components.Schemas.TryAdd("ProblemDetails", new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["type"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                    ["title"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                    ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int32" },
                    ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                    ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                    ["errors"] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                    },
                },
            });
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// Every property that is not nullable is always written, so it is required: a generated client then reads
    /// <c>doc.metrics.actualMs</c> as a number, not as possibly undefined.
    /// </summary>
    private static Task MarkRequired(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Properties is not { Count: > 0 } properties)
            return Task.CompletedTask;
        schema.Required ??= new HashSet<string>();
        foreach (var (name, property) in properties)
        {
            if (!Nullable(property))
                schema.Required.Add(name);
        }

        return Task.CompletedTask;
    }

    private static bool Nullable(IOpenApiSchema schema) =>
        schema.Type is { } type ? type.HasFlag(JsonSchemaType.Null)
        : schema.OneOf is { } oneOf ? oneOf.Any(Nullable)
        : schema.AnyOf is { } anyOf && anyOf.Any(Nullable);

    private static Task DeclareStatuses(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var path = "/" + (context.Description.RelativePath ?? "").TrimEnd('/');
        var method = context.Description.HttpMethod ?? "GET";
        if (!path.StartsWith("/api", StringComparison.Ordinal))
        {
            if (path == "/healthz")
                Declare(operation, 503, "The database does not answer, or the last write failed.");
            return Task.CompletedTask;
        }

        Declare(operation, 400, "Bad input: errors names each field (a validation problem), or a Host header not allowed.");
        Declare(operation, 401, "The daemon has an API key (FetchAgent:ApiKey) and the request did not carry it.");
        Declare(operation, 503, "The database refused the request, or too many loads wait for a turn (Retry-After).");
        Declare(operation, 507, "The database's disk is full.");
        if (method is "POST" or "DELETE")
            Declare(operation, 415, "The body was not declared Content-Type: application/json.");
        if (path.Contains("{id", StringComparison.Ordinal))
            Declare(operation, 404, "No such id.");
        if (method == "DELETE")
            Declare(operation, 409, "The page load is still running.");
        return Task.CompletedTask;
    }

    private static void Declare(OpenApiOperation operation, int status, string description)
    {
        operation.Responses ??= [];
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses.TryGetValue(key, out var existing))
        {
            if (existing is OpenApiResponse known && string.IsNullOrEmpty(known.Description))
                known.Description = description;
            return;
        }

        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference("ProblemDetails") },
            },
        };
    }
}
