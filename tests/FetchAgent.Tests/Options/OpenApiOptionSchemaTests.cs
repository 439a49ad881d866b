using System.Text.Json;
using FetchAgent.Api;
using FetchAgent.Engine.Model;
using TestDaemon = FetchAgent.Tests.Api.Daemon;

namespace FetchAgent.Tests.Options;

/// <summary>
/// Issue 10, item 3: the request schemas in the live daemon's <c>/openapi/v1.json</c> say what the body reader reads,
/// option by option, because both come from the catalogue: type, format, minimum, maximum, choices, the default.
/// </summary>
public sealed class OpenApiOptionSchemaTests
{
    [Fact]
    public async Task The_request_schemas_carry_every_option_with_the_catalogues_type_range_and_default()
    {
        var schemas = await SchemasAsync();
        var pageLoad = schemas.GetProperty("PageLoadRequest");
        var comparison = schemas.GetProperty("ComparisonRequest");

        // proxyUser (issue 12) is read beside the options but is none of them: credentials are never stored with a load.
        // agent and location (issue 17) say which agent may run the load, not how: they are not options either.
        Assert.Equal(["url", "proxyUser", "agent", "location", .. LoadOptions.Catalog.Select(o => o.Name)], Names(pageLoad));
        Assert.Equal(["url", "strategies", "runs", "proxyUser", .. LoadOptions.Catalog.Where(o => o.Name != "strategy").Select(o => o.Name)], Names(comparison));
        Assert.Equal(["url"], pageLoad.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["url", "strategies"], comparison.GetProperty("required").EnumerateArray().Select(r => r.GetString()));

        foreach (var (request, sweeps) in new[] { (pageLoad, false), (comparison, true) })
        {
            foreach (var option in LoadOptions.Catalog.Where(o => request.GetProperty("properties").TryGetProperty(o.Name, out _)))
            {
                var field = request.GetProperty("properties").GetProperty(option.Name);
                var swept = sweeps && option.Sweepable;
                var types = swept ? $"null {option.JsonType} array" : $"null {option.JsonType}";
                Assert.Equal((option.Name, types), (option.Name, string.Join(' ', field.GetProperty("type").EnumerateArray().Select(t => t.GetString()))));
                Assert.Equal((option.Name, option.Format), (option.Name, Text(field, "format")));
                Assert.Equal((option.Name, option.Minimum), (option.Name, Number(field, "minimum")));
                Assert.Equal((option.Name, option.Maximum), (option.Name, Number(field, "maximum")));
                Assert.Contains($"Default {option.DefaultText}.", Text(field, "description"));
                Assert.EndsWith($"CLI: {option.Flag}.", Text(field, "description"));
                if (option.Choices.Count > 0)
                    Assert.Equal([.. option.Choices, null], field.GetProperty("enum").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? null : v.GetString()));
                if (swept)
                {
                    var items = field.GetProperty("items");
                    Assert.Equal((option.Minimum, option.Maximum, ComparisonsApi.MaxSweepValues), (Number(items, "minimum"), Number(items, "maximum"), (int)Number(field, "maxItems")!));
                }
                else
                {
                    Assert.False(field.TryGetProperty("items", out _), option.Name);
                }
            }
        }
    }

    /// <summary>The document's <c>options</c>: every option is always there; its schema says the default a load without it gets.</summary>
    [Fact]
    public async Task The_documents_options_schema_gives_each_default()
    {
        var options = (await SchemasAsync()).GetProperty("LoadOptions").GetProperty("properties");

        Assert.Equal(LoadOptions.Catalog.Select(o => o.Name), options.EnumerateObject().Select(p => p.Name));
        foreach (var option in LoadOptions.Catalog.Where(o => o.Choices.Count == 0))
            Assert.Equal((option.Name, (option.DefaultJson?.ToJsonString() ?? "null")), (option.Name, options.GetProperty(option.Name).GetProperty("default").GetRawText()));
    }

    /// <summary>
    /// Read from the schema, not the catalogue: the values the OpenAPI document allows at each end are the ones the body
    /// reader takes, and one step past either end it refuses, so a client validating against the schema meets no surprise.
    /// </summary>
    [Fact]
    public async Task What_the_schema_allows_at_each_end_is_exactly_what_the_body_reader_takes()
    {
        var properties = (await SchemasAsync()).GetProperty("PageLoadRequest").GetProperty("properties");
        var checkedFields = 0;
        foreach (var field in properties.EnumerateObject().Where(f => f.Value.TryGetProperty("minimum", out _)))
        {
            var (min, max) = (Number(field.Value, "minimum")!.Value, Number(field.Value, "maximum")!.Value);
            foreach (var (value, accepted) in new[] { (min, true), (max, true), (min - 1, false), (max + 1, false) })
            {
                var reader = new LoadRequestReader();
                reader.Read(JsonDocument.Parse($$"""{"url":"http://127.0.0.1/","{{field.Name}}":{{value}}}""").RootElement, new HashSet<string>());
                Assert.True(reader.HasErrors != accepted, $"{field.Name} = {value}");
            }

            checkedFields++;
        }

        Assert.Equal(LoadOptions.Catalog.Count(o => o.Minimum is not null), checkedFields);
    }

    private static async Task<JsonElement> SchemasAsync()
    {
        await using var daemon = await TestDaemon.StartAsync();
        var text = await daemon.Client.GetStringAsync("/openapi/v1.json");
        return JsonDocument.Parse(text).RootElement.GetProperty("components").GetProperty("schemas").Clone();
    }

    private static string[] Names(JsonElement schema) => [.. schema.GetProperty("properties").EnumerateObject().Select(p => p.Name)];

    private static string? Text(JsonElement schema, string keyword) => schema.TryGetProperty(keyword, out var value) ? value.GetString() : null;

    private static long? Number(JsonElement schema, string keyword) => schema.TryGetProperty(keyword, out var value) ? value.GetInt64() : null;
}
