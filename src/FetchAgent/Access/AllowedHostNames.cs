using System.Net;
using System.Net.NetworkInformation;

namespace FetchAgent.Access;

/// <summary>
/// The names a request's Host header may carry: the address the daemon listens on (every address of this machine
/// when it listens on a wildcard), <c>localhost</c>, and <c>FetchAgent:AllowedHosts</c>. Anything else is a page
/// that made the browser reach this daemon through a name of its own (DNS rebinding), and gets 400.
/// </summary>
internal sealed class AllowedHostNames
{
    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase) { "localhost" };

    /// <param name="listening">The addresses Kestrel bound, e.g. <c>http://127.0.0.1:5080</c>.</param>
    /// <param name="configured"><c>FetchAgent:AllowedHosts</c>: names separated by <c>;</c>.</param>
    public AllowedHostNames(IEnumerable<string> listening, string? configured)
    {
        foreach (var url in listening)
        {
            var host = ListenPolicy.HostOf(url);
            if (host is "*" or "+" || (IPAddress.TryParse(host, out var address) && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))))
                AddMachineAddresses();
            else
                _names.Add(Normalise(host));
        }

        foreach (var name in (configured ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            _names.Add(Normalise(name));
    }

    /// <summary>True when the Host header's name (its port aside) is one of the allowed names.</summary>
    public bool Allows(HostString host) => host.HasValue && _names.Contains(Normalise(host.Host));

    private void AddMachineAddresses()
    {
        foreach (var network in NetworkInterface.GetAllNetworkInterfaces())
        {
            foreach (var unicast in network.GetIPProperties().UnicastAddresses)
                _names.Add(Normalise(unicast.Address.ToString()));
        }
    }

    // HostString.Host keeps IPv6 brackets; a configured or bound address may not have them.
    private static string Normalise(string host) => host.Trim('[', ']').TrimEnd('.');
}
