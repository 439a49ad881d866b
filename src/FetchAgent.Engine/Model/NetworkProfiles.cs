namespace FetchAgent.Engine.Model;

/// <summary>
/// Named network profiles with WebPageTest's connectivity figures (its "Connection" choices): download and upload
/// bandwidth and round-trip time.
/// </summary>
public static class NetworkProfiles
{
    /// <summary>Name → (down kbit/s, up kbit/s, RTT ms), in the order README lists them.</summary>
    public static IReadOnlyDictionary<string, (int DownKbps, int UpKbps, int RttMs)> ByName { get; } =
        new Dictionary<string, (int, int, int)>(StringComparer.OrdinalIgnoreCase)
        {
            ["3g"] = (1_600, 768, 300),
            ["4g"] = (9_000, 9_000, 170),
            ["cable"] = (5_000, 1_000, 28),
            ["dsl"] = (1_500, 384, 50),
            ["fios"] = (20_000, 5_000, 4),
        };

    public static string Names => string.Join(", ", ByName.Keys);
}
