namespace FetchAgent.Engine.Navigation;

/// <summary>Scheme + host + port (RFC 6454): connection limits and reuse are per origin.</summary>
public sealed record Origin(string Scheme, string Host, int Port)
{
    public bool IsHttps => Scheme == Uri.UriSchemeHttps;

    /// <summary>The chapter's first steps: extract the hostname, then find the port (explicit, or 80/443 by scheme).</summary>
    public static Origin From(Uri url) => new(url.Scheme, Hostname.Extract(url), url.Port);

    public override string ToString() => Host.Contains(':') ? $"{Scheme}://[{Host}]:{Port}" : $"{Scheme}://{Host}:{Port}";
}
