using FetchAgent.TestServers;

namespace FetchAgent.Bench;

/// <summary>A second access log per nginx (<see cref="Config"/>): which connection served which client, by User-Agent.</summary>
public static class NginxBenchLog
{
    /// <summary>Directives for <see cref="NginxOrigin.StartAsync"/>'s http block.</summary>
    public const string Config = """
        log_format bench '$connection "$http_user_agent" $status';
        access_log bench.log bench;
        """;

    /// <summary>Distinct nginx connections per User-Agent, over the given servers, since they started.</summary>
    public static IReadOnlyDictionary<string, int> ConnectionsByUserAgent(IEnumerable<NginxOrigin> origins)
    {
        var connections = new Dictionary<string, HashSet<string>>();
        foreach (var origin in origins)
        {
            var log = Path.Combine(origin.Prefix, "bench.log");
            if (!File.Exists(log))
                continue;
            foreach (var line in File.ReadLines(log))
            {
                var firstQuote = line.IndexOf('"', StringComparison.Ordinal);
                var lastQuote = line.LastIndexOf('"');
                if (firstQuote < 1 || lastQuote <= firstQuote)
                    continue;
                var agent = line[(firstQuote + 1)..lastQuote];
                if (!connections.TryGetValue(agent, out var set))
                    connections[agent] = set = [];
                set.Add($"{origin.Address}:{line[..firstQuote].Trim()}");
            }
        }

        return connections.ToDictionary(c => c.Key, c => c.Value.Count);
    }
}
