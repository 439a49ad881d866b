namespace FetchAgent.Engine.Model;

/// <summary>
/// On a predicted document (what-if): nothing in it was measured. It is the recorded load <see cref="FromPageLoadId"/>
/// replayed in FetchAgent's connection model under other conditions, as Lighthouse's Lantern estimates: the recorded
/// dependency graph (which object was found by which, and how long after), sizes and the servers' think time (the
/// recorded wait less the recording's round trip), with connections, round trips, slow start and bandwidth simulated.
/// </summary>
public sealed record PredictionRecord(
    long FromPageLoadId, string Strategy, double RttMs, int DownKbps, int UpKbps, int MaxConnectionsPerHost, string Model)
{
    public const string ModelDescription =
        "what-if replay: connect 1 RTT (+1 for TLS 1.3, 2 for TLS 1.2), each request 1 RTT plus the server's recorded think time, " +
        "responses in slow-start rounds (10 segments of 1460 bytes, doubling per RTT up to the bandwidth-delay product) " +
        "sharing the page's bandwidth";
}
