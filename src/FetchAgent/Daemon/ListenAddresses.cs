using System.Globalization;
using System.Net;
using FetchAgent.Engine.Navigation;

namespace FetchAgent.Daemon;

/// <summary>Where the daemon listens (its <c>urls</c>), and what follows for where its loads may go.</summary>
public sealed class ListenAddresses
{
    public ListenAddresses(string urls)
    {
        EndPoints = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).SelectMany(Parse).ToList();
    }

    /// <summary>The listening end points; "localhost" is both loopbacks, "*", "+" and "0.0.0.0" any address.</summary>
    public IReadOnlyList<IPEndPoint> EndPoints { get; }

    /// <summary>True when every end point is a loopback address.</summary>
    public bool LoopbackOnly => EndPoints.All(e => IPAddress.IsLoopback(e.Address));

    /// <summary>
    /// <c>FetchAgent:BlockPrivateDestinations</c>, or its default: on when the daemon listens off loopback (anyone who
    /// can reach it could make it fetch from the private network), off on loopback (loading local servers is the point).
    /// The daemon's own end points are refused whenever private destinations are.
    /// </summary>
    public DestinationPolicy Destinations(bool? blockPrivate) =>
        blockPrivate ?? !LoopbackOnly ? DestinationPolicy.BlockPrivate(EndPoints) : DestinationPolicy.AllowAll;

    private static IEnumerable<IPEndPoint> Parse(string url)
    {
        // Kestrel's forms: http://127.0.0.1:5080, http://localhost:5080, http://*:5080, http://+:5080, http://[::1]:5080.
        var rest = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/');
        var colon = rest.LastIndexOf(':');
        var host = colon > 0 && !rest.EndsWith(']') ? rest[..colon] : rest;
        var port = colon > 0 && !rest.EndsWith(']') && int.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var p)
            ? p
            : url.StartsWith("https", StringComparison.OrdinalIgnoreCase) ? 443 : 80;
        host = host.Trim('[', ']');
        if (host is "*" or "+" or "0.0.0.0")
            return [new IPEndPoint(IPAddress.Any, port)];
        if (host == "::")
            return [new IPEndPoint(IPAddress.IPv6Any, port)];
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            return [new IPEndPoint(IPAddress.Loopback, port), new IPEndPoint(IPAddress.IPv6Loopback, port)];
        // A host name Kestrel binds to all addresses for: treat it as any address (off loopback).
        return IPAddress.TryParse(host, out var address) ? [new IPEndPoint(address, port)] : [new IPEndPoint(IPAddress.Any, port)];
    }
}
