using System.Globalization;
using System.Net;

namespace FetchAgent.Engine.Navigation;

/// <summary>
/// <c>NO_PROXY</c> / <c>--noproxy</c>, matched as curl matches it: a comma-separated list; <c>*</c> alone matches
/// every host; a name matches that host and every host under it (<c>example.com</c> and <c>.example.com</c> both match
/// <c>www.example.com</c>); an IP address matches that address, and <c>10.0.0.0/8</c> a network; an entry with
/// <c>:port</c> matches only that port (as Go's httpproxy; curl ignores ports). Case does not matter.
/// </summary>
public sealed class NoProxyList
{
    private readonly bool _all;
    private readonly List<Entry> _entries = [];

    private NoProxyList(string? list)
    {
        foreach (var raw in (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (raw == "*")
            {
                _all = true;
                continue;
            }

            var (host, port) = SplitPort(raw);
            host = host.Trim('[', ']').TrimStart('.').TrimEnd('.').ToLowerInvariant();
            if (host.Length == 0)
                continue;
            var slash = host.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0 && IPAddress.TryParse(host[..slash], out var network)
                && int.TryParse(host[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var bits))
                _entries.Add(new Entry(null, network, bits, port));
            else if (IPAddress.TryParse(host, out var address))
                _entries.Add(new Entry(null, address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128, port));
            else
                _entries.Add(new Entry(host, null, 0, port));
        }
    }

    public static NoProxyList Empty { get; } = new(null);

    public static NoProxyList Parse(string? list) => string.IsNullOrWhiteSpace(list) ? Empty : new NoProxyList(list);

    /// <summary>Whether a request to <paramref name="host"/> (as <see cref="Hostname.Extract"/> gives it) on <paramref name="port"/> goes direct.</summary>
    public bool Bypasses(string host, int port)
    {
        if (_all)
            return true;
        host = host.TrimEnd('.').ToLowerInvariant();
        var isAddress = IPAddress.TryParse(host, out var address);
        foreach (var entry in _entries)
        {
            if (entry.Port is { } only && only != port)
                continue;
            if (entry.Name is { } name)
            {
                if (host == name || host.EndsWith("." + name, StringComparison.Ordinal))
                    return true;
            }
            else if (isAddress && InNetwork(address!, entry.Network!, entry.PrefixBits))
            {
                return true;
            }
        }

        return false;
    }

    private static (string Host, int? Port) SplitPort(string entry)
    {
        // [::1]:8080, host:8080, 10.0.0.1:80; a bare IPv6 address has several colons and no port.
        if (entry.StartsWith('['))
        {
            var close = entry.IndexOf(']', StringComparison.Ordinal);
            if (close > 0 && close + 1 < entry.Length && entry[close + 1] == ':'
                && int.TryParse(entry[(close + 2)..], NumberStyles.None, CultureInfo.InvariantCulture, out var p6))
                return (entry[..(close + 1)], p6);
            return (entry, null);
        }

        var colon = entry.LastIndexOf(':');
        if (colon > 0 && entry.IndexOf(':') == colon && int.TryParse(entry[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var p))
            return (entry[..colon], p);
        return (entry, null);
    }

    private static bool InNetwork(IPAddress address, IPAddress network, int bits)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily != network.AddressFamily)
            return false;
        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        bits = Math.Clamp(bits, 0, a.Length * 8);
        for (var i = 0; i < a.Length && bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? 0xFF : (byte)(0xFF << (8 - bits));
            if ((a[i] & mask) != (n[i] & mask))
                return false;
        }

        return true;
    }

    private sealed record Entry(string? Name, IPAddress? Network, int PrefixBits, int? Port);
}
