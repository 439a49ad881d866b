using System.Globalization;
using System.Text.Json;

namespace FetchAgent.TestServers.Capture;

/// <summary>
/// Holds a page-load document (the contract's JSON) against a packet capture of the same load: per object, each
/// phase FetchAgent reported beside the same phase measured between packets, and each phase boundary beside the
/// packet that marks it (placed on the document's time axis through its wall-clock <c>startedAt</c>; the kernel
/// stamps packets with the same clock).
/// </summary>
/// <remarks>
/// On the wire: <c>connect</c> runs from the SYN to the SYN/ACK (and on to the TLS handshake's end for https),
/// <c>ssl</c> from the SYN/ACK to that end; <c>send</c> from when the connection was ready (new) or free (the previous
/// response's last segment, for a request that was waiting for it) to the request's segment; <c>wait</c> from the
/// request's segment to the response's first; <c>receive</c> from there to the response's last. A reused connection's
/// <c>send</c> for a request that was not waiting starts at an event no packet marks, so it is not compared.
/// </remarks>
public static class PhaseAudit
{
    public static IReadOnlyList<PhaseError> Compare(JsonElement document, IReadOnlyList<TcpSegment> segments, IReadOnlySet<int> serverPorts)
    {
        var startedAtNs = StartedAtNs(document);
        double Ms(long ns) => (ns - startedAtNs) / 1e6;

        var connections = document.GetProperty("connections").EnumerateArray()
            .Where(c => c.GetProperty("localPort").GetInt32() > 0)
            .ToDictionary(c => c.GetProperty("id").GetInt32());
        var tls = connections.Values.Any(c => c.GetProperty("scheme").GetString() == "https");
        var requestsByPort = connections.Values.ToDictionary(c => c.GetProperty("localPort").GetInt32(), c => c.GetProperty("requests").GetInt32());
        var wire = WireTimeline.Build(segments, serverPorts, tls, port => requestsByPort.GetValueOrDefault(port))
            .ToDictionary(w => w.ClientPort);

        var errors = new List<PhaseError>();
        var objects = document.GetProperty("objects").EnumerateArray()
            .Where(o => o.GetProperty("connectionId").ValueKind == JsonValueKind.Number && o.GetProperty("status").ValueKind == JsonValueKind.Number)
            .Select(ObjectTimes.From)
            .GroupBy(o => o.ConnectionId);
        foreach (var onConnection in objects)
        {
            if (!connections.TryGetValue(onConnection.Key, out var record))
                continue;
            var port = record.GetProperty("localPort").GetInt32();
            if (!wire.TryGetValue(port, out var seen))
                throw new InvalidOperationException($"connection {onConnection.Key} (local port {port}) is not in the capture");
            var ordered = onConnection.OrderBy(o => o.SendEnd).ToList();
            if (seen.Exchanges.Count != ordered.Count)
                throw new InvalidOperationException($"connection {onConnection.Key}: {ordered.Count} objects in the document, {seen.Exchanges.Count} requests on the wire");
            for (var i = 0; i < ordered.Count; i++)
            {
                var o = ordered[i];
                var exchange = seen.Exchanges[i];
                if (exchange.ResponseFirst is not { } first || exchange.ResponseLast is not { } last)
                    throw new InvalidOperationException($"object {o.Id}: no response segment on the wire");
                void Add(string phase, double reported, double onWire, double boundary) =>
                    errors.Add(new PhaseError(o.Id, o.Url, onConnection.Key, phase, reported, onWire, boundary));

                double sendFrom;
                if (o.OpenedConnection)
                {
                    var ready = seen.Ready ?? throw new InvalidOperationException($"connection {onConnection.Key}: no handshake on the wire");
                    Add("connect", o.Connect, (ready - seen.Syn!.Value) / 1e6, o.ConnectStart - Ms(seen.Syn.Value));
                    if (o.Ssl >= 0)
                        Add("ssl", o.Ssl, (seen.TlsEnd!.Value - seen.SynAck!.Value) / 1e6, o.Ready - Ms(seen.TlsEnd.Value));
                    sendFrom = Ms(ready);
                    Add("send", o.Send, (exchange.Request - ready) / 1e6, o.SendEnd - Ms(exchange.Request));
                }
                else if (i > 0 && o.Start < ordered[i - 1].LastByte)
                {
                    // It was waiting for this connection: its send began when the previous response's last segment came.
                    var freed = seen.Exchanges[i - 1].ResponseLast!.Value;
                    Add("send", o.Send, (exchange.Request - freed) / 1e6, o.SendEnd - Ms(exchange.Request));
                }

                Add("wait", o.Wait, (first - exchange.Request) / 1e6, o.FirstByte - Ms(first));
                Add("receive", o.Receive, (last - first) / 1e6, o.LastByte - Ms(last));
            }
        }

        return errors;
    }

    /// <summary>The document's start on the kernel's clock: <c>startedAt</c> to the tick, as nanoseconds since the epoch.</summary>
    public static long StartedAtNs(JsonElement document)
    {
        var text = document.GetProperty("startedAt").GetString()!;
        var startedAt = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        return (startedAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
    }

    /// <summary>An object's phase boundaries on the document's axis, rebuilt from startMs and its HAR timings.</summary>
    private sealed record ObjectTimes(int Id, string Url, int ConnectionId, double Start, double ConnectStart, double Ready,
        double SendEnd, double FirstByte, double LastByte, double Connect, double Ssl, double Send, double Wait, double Receive, bool OpenedConnection)
    {
        public static ObjectTimes From(JsonElement o)
        {
            var t = o.GetProperty("timings");
            double P(string name) => t.GetProperty(name).GetDouble();
            var start = o.GetProperty("startMs").GetDouble();
            var (blocked, dns, connect, ssl, send, wait, receive) = (P("blocked"), P("dns"), P("connect"), P("ssl"), P("send"), P("wait"), P("receive"));
            var connectStart = start + blocked + Math.Max(dns, 0);
            var ready = connectStart + Math.Max(connect, 0);
            var sendEnd = ready + send;
            return new ObjectTimes(
                o.GetProperty("id").GetInt32(), o.GetProperty("url").GetString()!, o.GetProperty("connectionId").GetInt32(),
                start, connectStart, ready, sendEnd, sendEnd + wait, sendEnd + wait + receive,
                connect, ssl, send, wait, receive, OpenedConnection: connect >= 0);
        }
    }
}

/// <summary>One phase of one object: what FetchAgent reported, what the packets say, and how far its end boundary sits from its packet.</summary>
public sealed record PhaseError(int ObjectId, string Url, int ConnectionId, string Phase, double ReportedMs, double WireMs, double BoundaryOffsetMs)
{
    public double ErrorMs => Math.Abs(ReportedMs - WireMs);

    public override string ToString() =>
        $"object {ObjectId} {Phase}: reported {ReportedMs:F3} ms, wire {WireMs:F3} ms (error {ErrorMs:F3}, boundary {BoundaryOffsetMs:+0.000;-0.000} ms) {Url}";
}
