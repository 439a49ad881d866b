using System.Net;
using System.Net.Sockets;

namespace FetchAgent.Engine.Navigation;

/// <summary>
/// Where a load may connect. Checked on every address after DNS (so redirects, sub-resources and alternate spellings
/// such as <c>2130706433</c>, <c>0x7f000001</c> or <c>127.1</c>, which the URL parser turns into 127.0.0.1, are all
/// caught), before any packet is sent. <see cref="AllowAll"/> is the default: on loopback, loading local servers is the point.
/// </summary>
public sealed class DestinationPolicy
{
    private readonly bool _blockPrivate;
    private readonly IReadOnlySet<IPEndPoint> _own;
    private readonly IReadOnlySet<IPEndPoint> _exceptions;

    private DestinationPolicy(bool blockPrivate, IReadOnlySet<IPEndPoint> own, IReadOnlySet<IPEndPoint>? exceptions = null)
    {
        _blockPrivate = blockPrivate;
        _own = own;
        _exceptions = exceptions ?? new HashSet<IPEndPoint>();
    }

    /// <summary>
    /// The same policy with these exact end points let through (never the daemon's own). Tests may reach only loopback,
    /// so a test's page lives on one excepted loopback end point and shows that every other private one is refused.
    /// </summary>
    internal DestinationPolicy Except(params IPEndPoint[] endPoints) => new(_blockPrivate, _own, endPoints.ToHashSet());

    /// <summary>Nothing refused (the CLI, and a daemon on loopback unless configured otherwise).</summary>
    public static DestinationPolicy AllowAll { get; } = new(false, new HashSet<IPEndPoint>());

    /// <summary>
    /// Refuses loopback, private, shared (CGNAT), link-local (the cloud metadata address 169.254.169.254 among them),
    /// unspecified, multicast and broadcast addresses, IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64),
    /// and <paramref name="ownEndPoints"/> (the daemon's own listening sockets, on any address of this machine when
    /// one is unspecified).
    /// </summary>
    public static DestinationPolicy BlockPrivate(IEnumerable<IPEndPoint> ownEndPoints) => new(true, ownEndPoints.ToHashSet());

    public bool BlocksPrivate => _blockPrivate;

    /// <summary>Why <paramref name="address"/>:<paramref name="port"/> may not be reached, or null when it may.</summary>
    public string? Refusal(IPAddress address, int port)
    {
        if (!_blockPrivate)
            return null;
        if (IsOwn(address, port))
            return "the daemon itself";
        return _exceptions.Contains(new IPEndPoint(address, port)) ? null : Classify(address);
    }

    /// <summary>The special-purpose range an address falls in (RFC 6890's registries, the parts a page has no business reaching), or null for a public address.</summary>
    public static string? Classify(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.IsIPv4MappedToIPv6)
                return "IPv4-mapped IPv6";
            var bytes = address.GetAddressBytes();
            if (address.Equals(IPAddress.IPv6Any))
                return "unspecified";
            if (address.Equals(IPAddress.IPv6Loopback))
                return "loopback";
            if (bytes.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0)
                return "IPv4-compatible IPv6";
            if (bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xff && bytes[3] == 0x9b)
                return "NAT64";
            if ((bytes[0] & 0xfe) == 0xfc)
                return "private (unique local)";
            if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal)
                return "link-local";
            if (address.IsIPv6Multicast)
                return "multicast";
            return null;
        }

        var b = address.GetAddressBytes();
        return b switch
        {
            [0, _, _, _] => "unspecified",
            [127, _, _, _] => "loopback",
            [10, _, _, _] => "private",
            [172, >= 16 and <= 31, _, _] => "private",
            [192, 168, _, _] => "private",
            [100, >= 64 and <= 127, _, _] => "shared (CGNAT)",
            [169, 254, 169, 254] => "cloud metadata",
            [169, 254, _, _] => "link-local",
            [>= 224 and <= 239, _, _, _] => "multicast",
            [255, 255, 255, 255] => "broadcast",
            _ => null,
        };
    }

    private bool IsOwn(IPAddress address, int port)
    {
        foreach (var own in _own)
        {
            if (own.Port != port)
                continue;
            if (own.Address.Equals(address) || own.Address.Equals(IPAddress.Any) || own.Address.Equals(IPAddress.IPv6Any))
                return true;
        }

        return false;
    }
}
