using System.Net;

namespace FetchAgent.Engine.Navigation;

/// <summary>Step 1 of the chapter: extract the hostname from the URL.</summary>
public static class Hostname
{
    /// <summary>
    /// The host as DNS and SNI want it: internationalised names in punycode (RFC 5891),
    /// lower case, IPv6 literals without their brackets.
    /// </summary>
    public static string Extract(Uri url)
    {
        var host = url.HostNameType == UriHostNameType.IPv6 ? url.Host.Trim('[', ']') : url.IdnHost;
        return host.ToLowerInvariant();
    }

    /// <summary>An IP literal needs no DNS lookup.</summary>
    public static bool TryParseLiteral(string host, out IPAddress? address)
    {
        if (IPAddress.TryParse(host, out var parsed))
        {
            address = parsed;
            return true;
        }

        address = null;
        return false;
    }
}
