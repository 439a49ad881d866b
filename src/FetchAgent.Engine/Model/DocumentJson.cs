using System.Text.Json;
using System.Text.Json.Serialization;

namespace FetchAgent.Engine.Model;

/// <summary>The contract's JSON shape: camelCase, enums as kebab-case strings (<c>page-done</c>, <c>keep-alive-max</c>).</summary>
public static class DocumentJson
{
    public static JsonSerializerOptions Options { get; } = Create(indented: false);
    public static JsonSerializerOptions Indented { get; } = Create(indented: true);

    /// <summary>An enum value as the document writes it: <c>KeepAliveMax</c> → <c>keep-alive-max</c>.</summary>
    public static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = indented,
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
