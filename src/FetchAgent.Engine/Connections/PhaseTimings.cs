using FetchAgent.Engine.Model;


namespace FetchAgent.Engine.Connections;

/// <summary>
/// Turns the clock readings of one transaction into HAR 1.2 phases. The phases share their boundaries, so they
/// add up to exactly end − start:
/// <list type="bullet">
/// <item><c>blocked</c>: from the request until its connection work began: queueing until the pool gave it a
/// connection (a connection handed on counts as given when it became free), and any attempt that was retried;</item>
/// <item><c>dns</c>, <c>connect</c> (<c>ssl</c> inside it): only for a connection opened for this object, else -1;
/// a failed step runs to the failure, so a DNS failure is DNS time and a failed handshake is TLS time;</item>
/// <item><c>send</c>: from the connection being ready (or given) until the request was written;</item>
/// <item><c>wait</c>: until the first response byte was read; <c>receive</c>: until the last.</item>
/// </list>
/// </summary>
public static class PhaseTimings
{
    public static ObjectTimings From(TransactionTimestamps t, PageClock clock)
    {
        double Span(long from, long to) => Math.Max(0, clock.Between(from, to));

        var end = t.End;
        double dns = -1, connect = -1, ssl = -1, proxy = -1;
        long setupStart, ready;
        if (t.Attempt is { Start: { } attemptStart } attempt)
        {
            setupStart = attemptStart;
            var stepsEnd = attempt.FailedAt ?? end;
            if (attempt.DnsStart is { } dnsStart)
                dns = Span(dnsStart, attempt.DnsEnd ?? stepsEnd);
            // Connect begins where the lookup ended, so the two share their boundary.
            if (attempt.ConnectStart is { } connectStart)
                connect = Span(attempt.DnsEnd ?? connectStart, attempt.Ready ?? stepsEnd);
            if (attempt.TlsStart is { } tlsStart)
                ssl = Span(tlsStart, attempt.TlsEnd ?? stepsEnd);
            // The CONNECT exchange sits between TCP and TLS, inside connect as ssl is.
            if (attempt.ProxyStart is { } proxyStart)
                proxy = Span(proxyStart, attempt.ProxyEnd ?? stepsEnd);
            if (attempt.Failed || attempt.Ready is null)
                return new ObjectTimings(Span(t.Issued, setupStart), dns, connect, ssl, 0, 0, 0) { Proxy = proxy };
            ready = attempt.Ready.Value;
        }
        else
        {
            // A reused connection, or a failure before any connection was had.
            setupStart = t.Acquired != 0 ? t.Acquired : end;
            ready = setupStart;
        }

        var blocked = Span(t.Issued, setupStart);
        var sendEnd = t.SendEnd ?? end;
        // The first response byte can be read before the write's completion was stamped: a server that answers
        // early, or a pipelined response already buffered when this request went out. Wait cannot be negative,
        // so it is clamped to the send's end (and receive to the first byte).
        var firstByte = Math.Max(t.FirstByte ?? end, sendEnd);
        var lastByte = Math.Max(t.LastByte ?? end, firstByte);
        var send = Span(ready, sendEnd);
        if (t.SendEnd is null)
        {
            // Failed before the request was written: the time after the connection work is still waiting.
            return new ObjectTimings(blocked, dns, connect, ssl, 0, Span(ready, end), 0) { Proxy = proxy };
        }

        return new ObjectTimings(blocked, dns, connect, ssl, send, Span(sendEnd, firstByte), Span(firstByte, Math.Max(lastByte, end))) { Proxy = proxy };
    }
}
