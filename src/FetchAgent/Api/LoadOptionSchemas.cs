using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using FetchAgent.Engine.Model;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace FetchAgent.Api;

/// <summary>
/// The load options in <c>/openapi/v1.json</c>, from <see cref="LoadOptions.Catalog"/>: the request bodies marked
/// <see cref="LoadOptionFieldsAttribute"/> get one property per option (type, format, minimum, maximum, choices, a
/// description naming the unit, the default and the CLI flag), so the schema says what <see cref="LoadRequestReader"/>
/// reads and cannot drift from it. The document's <c>options</c> (<see cref="LoadOptions"/>) gets the same descriptions
/// and its defaults as <c>default</c>.
/// </summary>
/// <remarks>
/// A request field states its default in words, not as <c>default</c>: openapi-typescript (and generators like it)
/// types a component's property that has a <c>default</c> as always present, so every client would have to send every
/// option. In the document every option is present anyway, so there <c>default</c> misleads no one.
/// </remarks>
internal static class LoadOptionSchemas
{
    public static Task Describe(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(LoadOptions))
        {
            // Not on an enum's schema: it becomes a shared component (ConnectionStrategy), used beyond the options.
            foreach (var option in LoadOptions.Catalog)
            {
                if (schema.Properties is { } properties && properties.TryGetValue(option.Name, out var found) && found is OpenApiSchema { Enum: null or [] } property)
                {
                    property.Description = Description(option, sweeps: false);
                    property.Default = option.DefaultJson ?? Microsoft.OpenApi.JsonNullSentinel.JsonNull;
                }
            }
        }
        else if (type.GetCustomAttribute<LoadOptionFieldsAttribute>() is { } fields)
        {
            schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
            foreach (var option in LoadOptions.Catalog.Where(o => !fields.Omit.Contains(o.Name)))
                schema.Properties[option.Name] = Field(option, fields.Sweeps && option.Sweepable);
        }

        return Task.CompletedTask;
    }

    /// <summary>One option as a request field: optional, and null reads as not given (the default).</summary>
    public static OpenApiSchema Field(LoadOptionDescriptor option, bool sweeps)
    {
        var field = Value(option);
        field.Type |= JsonSchemaType.Null;
        field.Description = Description(option, sweeps);
        if (option.Choices.Count > 0)
            field.Enum = [.. option.Choices.Select(c => (JsonNode)JsonValue.Create(c)), null!];
        if (sweeps)
        {
            // A comparison sweeps the option when it is an array: every strategy with every value (ComparisonsApi).
            field.Type |= JsonSchemaType.Array;
            field.Items = Value(option);
            field.MinItems = 1;
            field.MaxItems = ComparisonsApi.MaxSweepValues;
            field.UniqueItems = true;
        }

        return field;
    }

    private static OpenApiSchema Value(LoadOptionDescriptor option) => new()
    {
        Type = option.JsonType switch
        {
            "integer" => JsonSchemaType.Integer,
            "boolean" => JsonSchemaType.Boolean,
            "string" => JsonSchemaType.String,
            var other => throw new InvalidOperationException($"{option.Name}: no OpenAPI type for '{other}'"),
        },
        Format = option.Format,
        Minimum = option.Minimum?.ToString(CultureInfo.InvariantCulture),
        Maximum = option.Maximum?.ToString(CultureInfo.InvariantCulture),
    };

    private static string Description(LoadOptionDescriptor option, bool sweeps)
    {
        var unit = option.Unit switch
        {
            LoadOptionUnit.Milliseconds => " In milliseconds.",
            LoadOptionUnit.Bytes => " In bytes.",
            _ => "",
        };
        var sweep = sweeps ? $" An array of 1 to {ComparisonsApi.MaxSweepValues} different values sweeps it: every strategy runs with every value." : "";
        return $"{char.ToUpperInvariant(option.Help[0])}{option.Help[1..]}.{unit} Default {option.DefaultText}.{sweep} CLI: {option.Flag}.";
    }
}
