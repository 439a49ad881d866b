namespace FetchAgent.TestServers.Capture;

/// <summary>
/// Turns captured segments into <see cref="WireConnection"/>s: one per client port that talked to a server port.
/// Requests are the client's payload segments (after the two TLS handshake flights for https), one segment each
/// (a request head is far below loopback's MSS; the client writes it at once); a response is the server's payload
/// between its request and the client's next segment. HTTP/1.1 without pipelining, as the persistent, serial and
/// parallel strategies send it; https as TLS without session tickets after the handshake (the test's nginx sends none).
/// </summary>
public static class WireTimeline
{
    /// <param name="requestsPerConnection">How many requests each client port carried (from the document): anything
    /// the client sent after them (a TLS close_notify) is not a request.</param>
    public static IReadOnlyList<WireConnection> Build(
        IReadOnlyList<TcpSegment> segments, IReadOnlySet<int> serverPorts, bool tls, Func<int, int> requestsPerConnection)
    {
        var connections = new Dictionary<int, WireConnection>();
        foreach (var segment in segments.OrderBy(s => s.TimeNs))
        {
            var fromClient = serverPorts.Contains(segment.DestinationPort);
            if (!fromClient && !serverPorts.Contains(segment.SourcePort))
                continue;
            var clientPort = fromClient ? segment.SourcePort : segment.DestinationPort;
            if (!connections.TryGetValue(clientPort, out var connection))
            {
                connection = new WireConnection
                {
                    Client = fromClient ? segment.Source : segment.Destination,
                    ClientPort = clientPort,
                    ServerPort = fromClient ? segment.DestinationPort : segment.SourcePort,
                };
                connections.Add(clientPort, connection);
            }

            if (fromClient && segment.Has(TcpFlags.Syn) && !segment.Has(TcpFlags.Ack))
                connection.Syn ??= segment.TimeNs;
            else if (!fromClient && segment.Has(TcpFlags.Syn) && segment.Has(TcpFlags.Ack))
                connection.SynAck ??= segment.TimeNs;
            if (segment.PayloadLength > 0)
                (fromClient ? connection.ClientPayload : connection.ServerPayload).Add(segment);
            if (segment.Has(TcpFlags.Fin))
            {
                if (fromClient)
                    connection.ClientFin ??= segment.TimeNs;
                else
                    connection.ServerFin ??= segment.TimeNs;
            }
        }

        foreach (var connection in connections.Values)
            Pair(connection, tls, requestsPerConnection(connection.ClientPort));
        return [.. connections.Values.OrderBy(c => c.Syn ?? long.MaxValue)];
    }

    private static void Pair(WireConnection connection, bool tls, int requestCount)
    {
        var handshakeFlights = tls ? 2 : 0;
        var client = connection.ClientPayload;
        if (client.Count < handshakeFlights)
            return;
        var requests = client.Skip(handshakeFlights).Take(requestCount).ToList();
        if (tls)
        {
            var beforeFirstRequest = requests.Count > 0 ? requests[0].TimeNs : long.MaxValue;
            var serverHandshakeEnd = connection.ServerPayload.Where(s => s.TimeNs < beforeFirstRequest).Select(s => s.TimeNs).DefaultIfEmpty(0).Max();
            connection.TlsEnd = Math.Max(client[1].TimeNs, serverHandshakeEnd);
        }

        for (var i = 0; i < requests.Count; i++)
        {
            var from = requests[i].TimeNs;
            // The response runs until the client's next segment: its next request, a close_notify, or its FIN.
            var next = client.FirstOrDefault(s => s.TimeNs > from)?.TimeNs ?? connection.ClientFin ?? long.MaxValue;
            var response = connection.ServerPayload.Where(s => s.TimeNs > from && s.TimeNs < next).ToList();
            connection.Exchanges.Add(new WireExchange(
                from, response.FirstOrDefault()?.TimeNs, response.LastOrDefault()?.TimeNs, response.Sum(s => s.PayloadLength)));
        }
    }
}
