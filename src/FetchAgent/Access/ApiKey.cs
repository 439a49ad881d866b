using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace FetchAgent.Access;

/// <summary>
/// <c>FetchAgent:ApiKey</c>, compared in constant time: both sides are hashed first, so neither the key's length
/// nor how many of its leading bytes a guess got right shows in the time an answer takes.
/// </summary>
internal sealed class ApiKey
{
    private readonly byte[] _hash;

    public ApiKey(string key) => _hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>True when <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-Api-Key: &lt;key&gt;</c> carries the key.</summary>
    public bool IsPresentedBy(HttpRequest request)
    {
        var matched = false;
        foreach (var value in request.Headers.Authorization)
        {
            if (value is not null && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                matched |= Matches(value["Bearer ".Length..].Trim());
        }

        foreach (var value in request.Headers["X-Api-Key"])
            matched |= Matches(value);
        return matched;
    }

    private bool Matches(string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _hash);
}
