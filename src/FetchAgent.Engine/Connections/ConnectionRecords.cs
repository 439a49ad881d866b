using FetchAgent.Engine.Model;
using FetchAgent.Engine.Navigation;


namespace FetchAgent.Engine.Connections;

/// <summary>Writes what a connection attempt measured into its <see cref="ConnectionRecord"/>.</summary>
internal static class ConnectionRecords
{
    /// <summary>
    /// The steps' durations: <c>dnsMs</c> the lookup this connection did (-1 when the page's cache answered),
    /// <c>connectMs</c> TCP plus TLS, <c>sslMs</c> TLS alone; a step cut short by a failure runs to the failure.
    /// <c>openedMs</c> is when the connection work began (the lookup, else the SYN).
    /// </summary>
    public static void FillSteps(ConnectionRecord record, ConnectionAttempt attempt, PageClock clock)
    {
        var failedAt = attempt.FailedAt;
        record.OpenedMs = clock.Ms(attempt.Start ?? failedAt ?? clock.StartTimestamp);
        record.DnsMs = attempt.DnsStart is { } dnsStart ? clock.Between(dnsStart, attempt.DnsEnd ?? failedAt ?? dnsStart) : -1;
        record.ConnectMs = attempt.ConnectStart is { } connectStart ? clock.Between(connectStart, attempt.Ready ?? failedAt ?? connectStart) : -1;
        record.ProxyMs = attempt.ProxyStart is { } proxyStart ? clock.Between(proxyStart, attempt.ProxyEnd ?? failedAt ?? proxyStart) : -1;
        record.SslMs = attempt.TlsStart is { } tlsStart ? clock.Between(tlsStart, attempt.TlsEnd ?? failedAt ?? tlsStart) : -1;
    }

    /// <summary>A connection that never opened: its 4-tuple as far as TCP got, closed with the attempt's error.</summary>
    public static ConnectionRecord Failed(int id, Origin origin, ConnectionAttempt attempt, PageClock clock)
    {
        var record = new ConnectionRecord
        {
            Proxy = origin.Via?.ToString(),
            Anonymous = origin.Anonymous,
            Id = id,
            Scheme = origin.Scheme,
            Host = origin.Host,
            Port = origin.Port,
            RemoteAddress = attempt.RemoteEndPoint?.Address.ToString(),
            RemotePort = attempt.RemoteEndPoint?.Port ?? 0,
            LocalAddress = attempt.LocalEndPoint?.Address.ToString(),
            LocalPort = attempt.LocalEndPoint?.Port ?? 0,
            CloseReason = CloseReason.Error,
            Error = attempt.Error,
            ErrorKind = attempt.ErrorKind,
            ClosedMs = attempt.FailedAt is { } failed ? clock.Ms(failed) : null,
        };
        FillSteps(record, attempt, clock);
        return record;
    }
}
