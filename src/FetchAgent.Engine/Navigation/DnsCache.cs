using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Navigation;

/// <summary>
/// Step 2: resolve the hostname, once per host per page load, like a browser's DNS cache.
/// The first connection to a host carries the lookup's time; later ones find it cached.
/// </summary>
public sealed class DnsCache
{
    private readonly ConcurrentDictionary<string, Lazy<Task<IPAddress[]>>> _lookups = new(StringComparer.OrdinalIgnoreCase);
    private readonly PageClock _clock;
    private readonly HostResolver _resolver;

    public DnsCache(PageClock clock, HostResolver? resolver = null)
    {
        _clock = clock;
        _resolver = resolver ?? HostResolvers.System;
    }

    /// <summary>The host's addresses; <see cref="DnsAnswer.Lookup"/> is set only for the caller that did the lookup.</summary>
    public async Task<DnsAnswer> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (Hostname.TryParseLiteral(host, out var literal))
            return new DnsAnswer([literal!], Lookup: null);

        var mine = new Lazy<Task<IPAddress[]>>(() => LookUpAsync(host));
        var entry = _lookups.GetOrAdd(host, mine);
        if (!ReferenceEquals(entry, mine))
            return new DnsAnswer(await entry.Value.WaitAsync(cancellationToken).ConfigureAwait(false), Lookup: null);

        var start = _clock.Now();
        var addresses = await entry.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new DnsAnswer(addresses, new PhaseSpan(start, _clock.Now()));
    }

    // The lookup is shared by every waiter, so no one caller's cancellation may cancel it.
    private async Task<IPAddress[]> LookUpAsync(string host)
    {
        try
        {
            var addresses = await _resolver(host, CancellationToken.None).ConfigureAwait(false);
            if (addresses.Length == 0)
                throw new NavigationException(ErrorKind.Dns, $"dns: no address for {host}");
            return addresses;
        }
        catch (SocketException e)
        {
            throw new NavigationException(ErrorKind.Dns, $"dns: {host}: {Describe(e.SocketErrorCode)}", e);
        }
    }

    private static string Describe(SocketError error) => error switch
    {
        SocketError.HostNotFound => "no such host",
        SocketError.TryAgain => "lookup failed, try again",
        SocketError.NoData => "no address",
        _ => error.ToString(),
    };
}

/// <summary>What DNS answered, and the lookup's timestamps when this caller did it.</summary>
public sealed record DnsAnswer(IPAddress[] Addresses, PhaseSpan? Lookup);

/// <summary>Start and end timestamps of one phase.</summary>
public readonly record struct PhaseSpan(long Start, long End);
