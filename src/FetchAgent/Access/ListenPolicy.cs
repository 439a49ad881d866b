using System.Net;

namespace FetchAgent.Access;

/// <summary>
/// Whether the daemon may listen where it was told to. On loopback only this machine reaches it; anywhere else,
/// whoever reaches the address could run loads from this machine and read every stored one, so an API key is
/// required there (issue 9, item 3).
/// </summary>
public static class ListenPolicy
{
    /// <summary>Null when the daemon may listen on every one of <paramref name="urls"/>; else the one line that says why not.</summary>
    public static string? Refusal(IEnumerable<string> urls, string? apiKey)
    {
        if (!string.IsNullOrWhiteSpace(apiKey))
            return null;
        var open = urls.FirstOrDefault(u => !IsLoopback(u));
        return open is null
            ? null
            : $"refusing to listen on {open} without an API key: anyone who reaches that address could run loads and read every stored one; " +
              "set FetchAgent:ApiKey (environment FetchAgent__ApiKey) or listen on 127.0.0.1";
    }

    /// <summary>
    /// True for <c>localhost</c> and loopback IP literals; false for wildcards (<c>*</c>, <c>+</c>, <c>0.0.0.0</c>,
    /// <c>[::]</c>), other addresses and host names (which may resolve anywhere).
    /// </summary>
    public static bool IsLoopback(string url)
    {
        var host = HostOf(url);
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            return true;
        return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
    }

    /// <summary>The host of a Kestrel URL, which <see cref="Uri"/> cannot parse when it is <c>*</c> or <c>+</c>; IPv6 without brackets.</summary>
    public static string HostOf(string url)
    {
        var rest = url.Trim();
        var scheme = rest.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
            rest = rest[(scheme + 3)..];
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            return close > 0 ? rest[1..close] : rest;
        }

        var end = rest.IndexOfAny([':', '/']);
        return end >= 0 ? rest[..end] : rest;
    }
}

/// <summary>The daemon was told to listen off loopback without an API key; the message is the one line to print.</summary>
public sealed class ListenRefusedException(string message) : Exception(message);
