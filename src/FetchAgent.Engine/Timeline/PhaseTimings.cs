using FetchAgent.Engine.Connections;
using FetchAgent.Engine.Navigation;

namespace FetchAgent.Engine.Timeline;

/// <summary>
/// Turns the clock readings of one transaction into HAR 1.2 phases. The phases share their
/// boundaries, so they add up to exactly end − start: blocked runs from the request until its
/// connection work began (a failed attempt that was retried counts as blocked), dns and connect
/// only for a connection opened for this object (else -1), ssl inside connect.
/// </summary>
public static class PhaseTimings
{
    public static ObjectTimings From(TransactionTimestamps t, PageClock clock)
    {
        double Span(long from, long to) => Math.Max(0, clock.Between(from, to));

        var end = t.End;
        var transport = t.OpenedTransport;
        double dns = -1, connect = -1, ssl = -1;
        long setupStart, ready;
        if (transport is not null)
        {
            setupStart = transport.Dns?.Start ?? transport.ConnectStart;
            if (transport.Dns is { } lookup)
                dns = Span(lookup.Start, lookup.End);
            var connectStart = transport.Dns?.End ?? transport.ConnectStart;
            ready = transport.Ready;
            connect = Span(connectStart, ready);
            if (transport.Tls is { } tls)
                ssl = Span(tls.Start, tls.End);
        }
        else if (t.OpenFailed)
        {
            // DNS, connect or TLS failed: that whole attempt is connection work.
            setupStart = t.Acquired;
            return new ObjectTimings(Span(t.Issued, setupStart), -1, Span(setupStart, end), -1, 0, 0, 0);
        }
        else
        {
            // A reused connection, or a failure before any connection was had.
            setupStart = t.Acquired != 0 ? t.Acquired : end;
            ready = setupStart;
        }

        var blocked = Span(t.Issued, setupStart);
        var sendEnd = t.SendEnd ?? end;
        var firstByte = Math.Max(t.FirstByte ?? end, sendEnd);
        var lastByte = Math.Max(t.LastByte ?? end, firstByte);
        var send = Span(ready, sendEnd);
        if (t.SendEnd is null)
        {
            // Failed before the request was written: the time after the connection work is still waiting.
            return new ObjectTimings(blocked, dns, connect, ssl, 0, Span(ready, end), 0);
        }

        return new ObjectTimings(blocked, dns, connect, ssl, send, Span(sendEnd, firstByte), Span(firstByte, Math.Max(lastByte, end)));
    }
}
