namespace FetchAgent.Bench.SideBySide;

/// <summary>One client's measured loads of one page.</summary>
/// <param name="Loads">The measured loads, in the order run (warm-ups not included).</param>
/// <param name="NginxConnections">Connections nginx saw from this client's User-Agent over every load of the page, warm-ups included.</param>
public sealed record ClientResult(string Client, IReadOnlyList<ClientLoad> Loads, int NginxConnections)
{
    public double MedianMs => ResultTable.Median(Loads.Select(l => l.Ms));

    public double P95Ms => ResultTable.Percentile(Loads.Select(l => l.Ms).Order().ToList(), 0.95);

    /// <summary>Requests per load: the same in every load, or the spread when they differed.</summary>
    public string Requests
    {
        get
        {
            var counts = Loads.Select(l => l.Requests).Distinct().Order().ToList();
            return counts.Count == 1 ? $"{counts[0]}" : $"{counts[0]}-{counts[^1]}";
        }
    }
}

/// <summary>Every client's loads of one page, FetchAgent's first.</summary>
/// <param name="Loads">Loads per client of the page, warm-ups included (the divisor of the connection counts).</param>
/// <param name="OnlyFetchAgent">URLs FetchAgent requested that Chromium left out of at least one of its measured loads.</param>
/// <param name="OnlyChromium">URLs Chromium requested in a measured load that FetchAgent never requested.</param>
/// <param name="RepeatedByChromium">URLs Chromium requested more than once within one measured load.</param>
public sealed record PageResult(
    string Page, IReadOnlyList<ClientResult> Clients, int Loads, IReadOnlyList<Uri> OnlyFetchAgent, IReadOnlyList<Uri> OnlyChromium, IReadOnlyList<Uri> RepeatedByChromium)
{
    public ClientResult FetchAgent => Clients[0];

    public double Ratio(ClientResult client) => client.MedianMs / FetchAgent.MedianMs;
}
