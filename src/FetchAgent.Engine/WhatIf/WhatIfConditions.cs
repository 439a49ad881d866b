using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.WhatIf;

/// <summary>
/// The network and connection policy a recorded load is replayed under (issue 13 item 5): a strategy, a round-trip
/// time, bandwidth down and up shared by the whole page (0 for unlimited), and the per-host connection limit.
/// </summary>
public sealed record WhatIfConditions
{
    public ConnectionStrategy Strategy { get; init; } = ConnectionStrategy.Persistent;

    /// <summary>The round trip every connection pays per exchange, in ms (0: the recording's own network, loopback).</summary>
    public double RttMs { get; init; }

    /// <summary>Download bandwidth shared by all of the page's connections, kbit/s; 0 for unlimited.</summary>
    public int DownKbps { get; init; }

    /// <summary>Upload bandwidth shared by all of the page's connections, kbit/s; 0 for unlimited.</summary>
    public int UpKbps { get; init; }

    public int MaxConnectionsPerHost { get; init; } = 2;

    public int PipelineDepth { get; init; } = 4;

    /// <summary>The conditions a load ran under: its strategy and limits, and its emulated network when it had one.</summary>
    public static WhatIfConditions Of(LoadOptions options)
    {
        var network = EmulatedNetwork.Of(options);
        return new WhatIfConditions
        {
            Strategy = options.Strategy,
            MaxConnectionsPerHost = options.MaxConnectionsPerHost,
            PipelineDepth = options.PipelineDepth,
            RttMs = network?.RttMs ?? 0,
            DownKbps = network?.DownKbps ?? 0,
            UpKbps = network?.UpKbps ?? 0,
        };
    }

    /// <summary>What is out of range, by field name; empty when the conditions can be replayed.</summary>
    public IEnumerable<(string Field, string Problem)> Validate()
    {
        if (double.IsNaN(RttMs) || RttMs is < 0 or > 10_000)
            yield return ("rtt", "must be 0–10000 (ms)");
        if (DownKbps is < 0 or > 10_000_000)
            yield return ("downKbps", "must be 0–10000000 (kbit/s; 0 for unlimited)");
        if (UpKbps is < 0 or > 10_000_000)
            yield return ("upKbps", "must be 0–10000000 (kbit/s; 0 for unlimited)");
        if (MaxConnectionsPerHost is < 1 or > 64)
            yield return ("maxConnectionsPerHost", "must be 1–64");
        if (PipelineDepth is < 1 or > 64)
            yield return ("pipelineDepth", "must be 1–64");
    }
}
