namespace FetchAgent.Engine.Model;

/// <summary>
/// The network a load's connections were emulated on (issue 13 item 1), as its options give it: a round trip, and
/// download and upload bandwidth shared by all of the load's connections (0: not limited). A named profile gives all
/// three; an explicit value (not 0) overrides the profile's.
/// </summary>
public sealed record EmulatedNetwork(int RttMs, int DownKbps, int UpKbps, string? Profile)
{
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
