namespace FetchAgent.Engine.Model;

/// <summary>
/// The network a load's connections were emulated on (issue 13 item 1), as its options give it: a round trip, and
/// download and upload bandwidth shared by all of the load's connections (0: not limited). A named profile gives all
/// three; an explicit value (not 0) overrides the profile's.
/// </summary>
public sealed record EmulatedNetwork(int RttMs, int DownKbps, int UpKbps, string? Profile)
{
    /// <summary>The segment size of the emulation's congestion window (Ethernet's MSS), shared with the what-if model.</summary>
    public const int SegmentBytes = 1460;

    /// <summary>A new connection's congestion window: 10 segments (RFC 6928), shared with the what-if model.</summary>
    public const double InitialWindowBytes = 10 * SegmentBytes;

    /// <summary>
    /// Where slow start ends: the bytes the link carries in one round trip, at least the initial window; unbounded
    /// without a bandwidth limit. The emulation and the what-if model grow a window up to it.
    /// </summary>
    public static double BandwidthDelayProduct(int downKbps, double rttMs) =>
        downKbps > 0 ? Math.Max(downKbps / 8.0 * rttMs, InitialWindowBytes) : double.PositiveInfinity;

    public bool IsOn => RttMs > 0 || DownKbps > 0 || UpKbps > 0;

    /// <summary>The emulated network of <paramref name="options"/>; null when it runs on the real one (the default).</summary>
    public static EmulatedNetwork? Of(LoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        (int DownKbps, int UpKbps, int RttMs) profile = options.Network is { } name && NetworkProfiles.ByName.TryGetValue(name, out var figures) ? figures : (0, 0, 0);
        var network = new EmulatedNetwork(
            options.RttMs > 0 ? options.RttMs : profile.RttMs,
            options.DownKbps > 0 ? options.DownKbps : profile.DownKbps,
            options.UpKbps > 0 ? options.UpKbps : profile.UpKbps,
            options.Network?.ToLowerInvariant());
        return network.IsOn ? network : null;
    }
}
