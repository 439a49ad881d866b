using FetchAgent.Engine.Http1;

namespace FetchAgent.Engine.Tests.Http1;

/// <summary>Builds a <see cref="ResponseHead"/> for tests of pure functions of a head.</summary>
internal static class HeadFactory
{
    public static ResponseHead Create(int minor, params (string Name, string Value)[] fields) => new()
    {
        Major = 1,
        Minor = minor,
        StatusCode = 200,
        ReasonPhrase = "OK",
        Headers = fields.Select(f => new HeaderField(f.Name, f.Value)).ToList(),
        HeaderBytes = 0,
        FirstByteTimestamp = 0,
    };
}
