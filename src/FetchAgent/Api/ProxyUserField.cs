using System.Text.Json;
using FetchAgent.Engine.Navigation;

namespace FetchAgent.Api;

/// <summary>
/// The REST body's <c>proxyUser</c> (<c>"user:pass"</c>, the CLI's <c>--proxy-user</c>): read beside the load options
/// but not one of them, since the options are stored with the load and credentials never are.
/// </summary>
internal static class ProxyUserField
{
    public const string Name = "proxyUser";

    public static ProxyCredentials? Read(JsonElement body, LoadRequestReader reader)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty(Name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text)
        {
            reader.Add(Name, "must be a string, user:pass");
            return null;
        }

        return ProxyCredentials.Parse(text);
    }
}
