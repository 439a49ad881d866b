using System.Text.Json;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Timeline;

namespace FetchAgent.Engine.WhatIf;

/// <summary>
/// Replays a recorded page load under other conditions (issue 13 item 5), as Lighthouse's Lantern estimates a load from
/// a trace: the recorded dependency graph is kept (an object becomes known when its parent's response has ended, plus
/// the gap the recording showed; an object found while its parent streamed, that long after the parent's first byte),
/// so are sizes and each server's think time (the recorded wait less the recording's round trip); the network is
/// simulated in small steps of time, with the rules FetchAgent's network emulation applies:
/// <list type="bullet">
/// <item>a new connection costs the recorded DNS lookup (first per host), one RTT for TCP, and one more for TLS 1.3
/// (two for TLS 1.2);</item>
/// <item>a request takes its bytes over the upload bandwidth, then one RTT plus the think time to its first byte;</item>
/// <item>a response arrives in rounds: a connection sends its congestion window (10 segments of 1460 bytes when new),
/// the next round one RTT after the last began, the window doubling each round until the bandwidth-delay product
/// (slow start, RFC 5681 §3.1); a warm connection keeps its window;</item>
/// <item>the download bandwidth is shared by every connection sending at that moment (max-min fair);</item>
/// <item>strategies as the pool applies them: serial one object at a time on a new connection, parallel N per host
/// each closed after its response, persistent N per host reused, pipelined N per host with up to depth requests sent
/// and answered in order, multiplexed one connection per host carrying every request at once.</item>
/// </list>
/// </summary>
internal sealed class ReplaySimulation
{
    /// <summary>Past this many steps the replay gives up (a pathological page): what ended is kept.</summary>
    private const int MaxSteps = 2_000_000;

    private readonly PageLoadDocument _recorded;
    private readonly WhatIfConditions _conditions;
    private readonly List<ReplayObject> _objects;
    private readonly List<ReplayConnection> _connections = [];
    private readonly Dictionary<string, (double DnsMs, int TlsRoundTrips)> _setup;
    private readonly HashSet<string> _lookedUp = [];

    /// <summary>When a connection last closed, per origin ("" for the whole page, serial's one gate).</summary>
    private readonly Dictionary<string, double> _lastClose = [];
    private readonly double _dt;
    private double _now;

    public ReplaySimulation(PageLoadDocument recorded, WhatIfConditions conditions)
    {
        _recorded = recorded;
        _conditions = conditions;
        var baseRtt = RecordedRoundTrip(recorded);
        _objects = recorded.Objects.OrderBy(o => o.Id).Select(o => Prepare(o, baseRtt)).ToList();
        var byId = _objects.ToDictionary(o => o.Recorded.Id);
        foreach (var o in _objects)
        {
            if (o.Recorded.ParentId is { } parent && byId.TryGetValue(parent, out var p))
            {
                o.Parent = p;
                p.Children.Add(o);
            }
        }

        _setup = recorded.Connections
            .Where(c => c.RemoteAddress is not null)
            .GroupBy(c => OriginOf(c.Scheme, c.Host, c.Port))
            .ToDictionary(g => g.Key, g => (g.Where(c => c.DnsMs > 0).Select(c => c.DnsMs).FirstOrDefault(), TlsRoundTrips(g.First())));
        // Steps fine enough for loopback, coarser when every round trip is long.
        _dt = Math.Clamp(conditions.RttMs / 100, 0.02, 2);
    }

    public PageLoadDocument Run()
    {
        foreach (var root in _objects.Where(o => o.Parent is null))
            root.AvailableAt = Math.Max(0, root.Recorded.StartMs);
        for (var step = 0; step < MaxSteps && _objects.Any(o => o.End is null); step++)
        {
            Dispatch();
            StartRequests();
            Transmit();
            _now += _dt;
        }

        return Document();
    }

    private ReplayObject Prepare(ObjectRecord o, double baseRtt)
    {
        var url = Uri.TryCreate(o.Url, UriKind.Absolute, out var u) ? u : null;
        var origin = url is null ? o.Url : OriginOf(url.Scheme, url.Host, url.Port);
        var network = o.Status is not null && !o.FromCache && url is not null;
        return new ReplayObject(o, origin)
        {
            Network = network,
            RequestBytes = Math.Max(o.RequestHeaders.Sum(h => h.Name.Length + h.Value.Length + 4) + 40, 40),
            ResponseBytes = Math.Max(o.HeaderBytes, 0) + Math.Max(o.BodyBytes, 0),
            ThinkMs = Math.Max(0, o.Timings.Wait - baseRtt),
        };
    }

    /// <summary>The recording's own round trip: the median of its connections' smallest RTT (TCP_INFO), else 0 (loopback).</summary>
    private static double RecordedRoundTrip(PageLoadDocument recorded)
    {
        var rtts = recorded.Connections.Where(c => c.TcpInfo is { MinRttMs: > 0 }).Select(c => c.TcpInfo!.MinRttMs!.Value).Order().ToList();
        // An emulated recording's round trip is the emulation's, on top of the real one.
        return (rtts.Count == 0 ? 0 : rtts[(rtts.Count - 1) / 2]) + (recorded.EmulatedNetwork?.RttMs ?? 0);
    }

    private static int TlsRoundTrips(ConnectionRecord c) => c.Scheme != "https" ? 0 : c.TlsProtocol is "TLSv1.2" or "TLSv1.1" or "TLSv1" ? 2 : 1;

    private static string OriginOf(string scheme, string host, int port) => $"{scheme}://{host}:{port}";

    /// <summary>Objects whose turn has come get a connection, in the order they became known (then by id).</summary>
    private void Dispatch()
    {
        foreach (var o in _objects.Where(o => o.AvailableAt is { } at && at <= _now && o.Connection is null && o.End is null)
                     .OrderBy(o => o.AvailableAt).ThenBy(o => o.Recorded.Id).ToList())
        {
            if (!o.Network)
            {
                // What crossed no network keeps its recorded time, from when it became known.
                Finish(o, o.AvailableAt!.Value + Math.Max(o.Recorded.EndMs - o.Recorded.StartMs, 0));
                continue;
            }

            if (Connect(o) is not { } connection)
                continue;
            o.Connection = connection;
            // Exact, not the step's: when it became known, or when the connection it reuses became free.
            o.AssignedAt = o.NewConnection ? connection.OpenedAt : Math.Max(o.AvailableAt!.Value, connection.InFlight.Count == 0 ? connection.FreeSince : o.AvailableAt!.Value);
            connection.InFlight.Add(o);
            o.BytesLeft = o.ResponseBytes;
        }
    }

    /// <summary>The connection the strategy gives this object now, opening one when it may; null while it must wait.</summary>
    private ReplayConnection? Connect(ReplayObject o)
    {
        var open = _connections.Where(c => c.Origin == o.Origin && c.ClosedAt is null).ToList();
        var limit = _conditions.MaxConnectionsPerHost;
        switch (_conditions.Strategy)
        {
            case ConnectionStrategy.Serial:
                return _connections.Any(c => c.ClosedAt is null) ? null : Open(o, keepsAlive: false);
            case ConnectionStrategy.Parallel:
                return open.Count < limit ? Open(o, keepsAlive: false) : null;
            case ConnectionStrategy.Multiplexed:
                return open.FirstOrDefault() is { } shared ? Reuse(o, shared) : Open(o, keepsAlive: true);
            case ConnectionStrategy.Pipelined:
                if (open.FirstOrDefault(c => c.InFlight.Count == 0) is { } idle)
                    return Reuse(o, idle);
                if (open.Count < limit)
                    return Open(o, keepsAlive: true);
                return open.Where(c => c.InFlight.Count < _conditions.PipelineDepth).MinBy(c => c.InFlight.Count) is { } pipeline ? Reuse(o, pipeline) : null;
            default:
                if (open.FirstOrDefault(c => c.InFlight.Count == 0) is { } free)
                    return Reuse(o, free);
                return open.Count < limit ? Open(o, keepsAlive: true) : null;
        }
    }

    private ReplayConnection Reuse(ReplayObject o, ReplayConnection connection)
    {
        o.NewConnection = false;
        return connection;
    }

    private ReplayConnection Open(ReplayObject o, bool keepsAlive)
    {
        var (dnsMs, tls) = _setup.GetValueOrDefault(o.Origin, (0, o.Origin.StartsWith("https:", StringComparison.Ordinal) ? 1 : 0));
        var rtt = _conditions.RttMs;
        // Opened when the object became known, or when the slot it takes was freed (the last close), whichever is later.
        var openedAt = Math.Max(o.AvailableAt!.Value, _lastClose.GetValueOrDefault(_conditions.Strategy == ConnectionStrategy.Serial ? "" : o.Origin));
        var connection = new ReplayConnection(_connections.Count + 1, o.Origin, keepsAlive)
        {
            OpenedAt = Math.Min(openedAt, _now),
            // The lookup is the recording's, once per host (then the page's DNS cache answers).
            DnsMs = _lookedUp.Add(o.Origin) && dnsMs > 0 ? dnsMs : -1,
            ConnectMs = rtt * (1 + tls),
            SslMs = tls > 0 ? rtt * tls : -1,
        };
        connection.FreeSince = connection.ReadyAt;
        _connections.Add(connection);
        o.NewConnection = true;
        return connection;
    }

    /// <summary>Requests go out once their connection is ready: upload time, then a round trip and the server's think time.</summary>
    private void StartRequests()
    {
        foreach (var connection in _connections.Where(c => c.ClosedAt is null && c.ReadyAt <= _now))
        {
            foreach (var o in connection.InFlight.Where(o => o.SendStart is null))
            {
                o.SendStart = Math.Max(connection.ReadyAt, o.AssignedAt);
                o.SendEnd = o.SendStart.Value + (_conditions.UpKbps > 0 ? o.RequestBytes * 8.0 / _conditions.UpKbps : 0);
                o.FirstByteDue = o.SendEnd + _conditions.RttMs + o.ThinkMs;
            }
        }
    }

    /// <summary>The streams a connection is answering now: HTTP/1.1 one at a time, in order; HTTP/2 all whose answer is due.</summary>
    private IEnumerable<ReplayObject> Answering(ReplayConnection connection)
    {
        var due = connection.InFlight.Where(o => o.SendStart is not null && o.FirstByteDue <= _now && o.End is null);
        return _conditions.Strategy == ConnectionStrategy.Multiplexed ? due : due.Take(1).Where(o => ReferenceEquals(o, connection.InFlight[0]));
    }

    private void Transmit()
    {
        var sending = new List<(ReplayConnection Connection, List<ReplayObject> Streams)>();
        foreach (var connection in _connections.Where(c => c.ClosedAt is null))
        {
            var streams = Answering(connection).ToList();
            // A response with no body (a 304, a redirect with none) ends when its first byte is due.
            foreach (var empty in streams.Where(s => s.ResponseBytes == 0).ToList())
            {
                var at = KeepsOrder ? Math.Max(empty.FirstByteDue, connection.FreeSince) : empty.FirstByteDue;
                empty.ReceiveStart = at;
                Finish(empty, at);
            }

            streams.RemoveAll(s => s.End is not null);
            if (streams.Count == 0)
                continue;
            var due = Math.Max(streams.Min(s => s.FirstByteDue), KeepsOrder ? connection.FreeSince : 0);
            if (connection.RoundStart is not { } roundStart || _now >= roundStart + _conditions.RttMs)
            {
                // A new round trip of the ACK clock. Slow start (RFC 5681 §3.1): the window grows by what the last
                // round had acknowledged (it doubles when the round was full), up to the bandwidth-delay product.
                if (connection.RoundStart is not null)
                    connection.Cwnd = Math.Min(connection.Cwnd + connection.RoundSent, Math.Max(BandwidthDelayProduct, connection.Cwnd));
                connection.RoundStart = connection.RoundStart is { } last ? Math.Max(last + _conditions.RttMs, due) : due;
                connection.RoundSent = 0;
            }

            // What is due may go out now, as far as the window allows in this round.
            var unsent = streams.Sum(s => s.BytesLeft) - connection.RoundBytesLeft;
            var send = Math.Min(connection.Cwnd - connection.RoundSent, unsent);
            if (send > 0)
            {
                connection.RoundBytesLeft += send;
                connection.RoundSent += send;
            }

            if (connection.RoundBytesLeft > 0)
                sending.Add((connection, streams));
        }

        if (sending.Count == 0)
            return;
        foreach (var ((connection, streams), share) in sending.Zip(Shares(sending.Select(s => s.Connection.RoundBytesLeft).ToList())))
            Deliver(connection, streams, share);
    }

    /// <summary>HTTP/1.1 answers in the order of the requests, one after another; HTTP/2 streams interleave.</summary>
    private bool KeepsOrder => _conditions.Strategy != ConnectionStrategy.Multiplexed;

    /// <summary>Max-min fair shares of this step's download capacity (unlimited bandwidth: everything the rounds hold).</summary>
    private List<double> Shares(List<double> wants)
    {
        if (_conditions.DownKbps <= 0)
            return wants;
        var capacity = _conditions.DownKbps / 8.0 * _dt; // kbit/s is bytes per ms times 8
        var shares = new double[wants.Count];
        var left = Enumerable.Range(0, wants.Count).OrderBy(i => wants[i]).ToList();
        while (left.Count > 0)
        {
            var each = capacity / left.Count;
            var i = left[0];
            var given = Math.Min(each, wants[i]);
            shares[i] = given;
            capacity -= given;
            left.RemoveAt(0);
        }

        return [.. shares];
    }

    /// <summary>The bytes a connection can have in flight once slow start is over; unbounded without a bandwidth limit.</summary>
    private double BandwidthDelayProduct => EmulatedNetwork.BandwidthDelayProduct(_conditions.DownKbps, _conditions.RttMs);

    private void Deliver(ReplayConnection connection, List<ReplayObject> streams, double bytes)
    {
        var delivered = Math.Min(bytes, connection.RoundBytesLeft);
        var roundStart = connection.RoundStart ?? _now;
        // The moment within this step the last of these bytes arrived (the whole step when the link is the limit).
        var at = _conditions.DownKbps > 0 && bytes > 0 ? Math.Max(_now + _dt * Math.Min(1, delivered / bytes), roundStart) : roundStart;
        connection.RoundBytesLeft -= delivered;
        var remaining = delivered;
        // Streams of one connection share what it delivers equally (HTTP/2); HTTP/1.1 has one.
        foreach (var s in streams.OrderBy(s => s.BytesLeft))
        {
            var each = remaining / streams.Count(x => x.BytesLeft > 0 && x.End is null);
            var take = Math.Min(each, s.BytesLeft);
            s.ReceiveStart ??= Math.Max(roundStart, s.FirstByteDue);
            s.BytesLeft -= (long)Math.Ceiling(take - 1e-9);
            remaining -= take;
            if (s.BytesLeft <= 0)
                Finish(s, Math.Max(at, s.FirstByteDue));
        }

        if (connection.RoundBytesLeft <= 1e-9)
            connection.RoundBytesLeft = 0;
    }

    private void Finish(ReplayObject o, double at)
    {
        o.End = at;
        if (o.Connection is { } connection)
        {
            connection.InFlight.Remove(o);
            connection.Requests++;
            connection.FreeSince = Math.Max(connection.FreeSince, at);
            if (!connection.KeepsAlive)
            {
                connection.ClosedAt = at;
                _lastClose[connection.Origin] = Math.Max(_lastClose.GetValueOrDefault(connection.Origin), at);
                _lastClose[""] = Math.Max(_lastClose.GetValueOrDefault(""), at);
            }
        }

        // What it led to becomes known: after its end, plus the gap the recording showed, or (found while it
        // streamed) as long after its first byte as in the recording.
        foreach (var child in o.Children.Where(c => c.AvailableAt is null))
        {
            var recordedParent = o.Recorded;
            var recordedFirstByte = recordedParent.EndMs - Math.Max(recordedParent.Timings.Receive, 0);
            child.AvailableAt = child.Recorded.StartMs >= recordedParent.EndMs
                ? at + (child.Recorded.StartMs - recordedParent.EndMs)
                : Math.Min(at, (o.ReceiveStart ?? at) + Math.Max(0, child.Recorded.StartMs - recordedFirstByte));
        }
    }

    private PageLoadDocument Document()
    {
        var connections = _connections.Select(c => new ConnectionRecord
        {
            Id = c.Id,
            Scheme = c.Origin.Split("://")[0],
            Host = new Uri(c.Origin).Host,
            Port = new Uri(c.Origin).Port,
            OpenedMs = c.OpenedAt,
            ClosedMs = c.ClosedAt ?? _objects.Max(o => o.End ?? 0),
            DnsMs = c.DnsMs,
            ConnectMs = c.ConnectMs,
            SslMs = c.SslMs,
            Requests = c.Requests,
            CloseReason = c.KeepsAlive ? CloseReason.PageDone : CloseReason.ClientClose,
        }).ToList();
        var objects = _objects.Select(Predicted).ToList();
        var document = new PageLoadDocument
        {
            Id = 0,
            Url = _recorded.Url,
            FinalUrl = _recorded.FinalUrl,
            StartedAt = _recorded.StartedAt,
            Status = _recorded.Status,
            Error = _recorded.Error,
            ErrorKind = _recorded.ErrorKind,
            Options = _recorded.Options with
            {
                Strategy = _conditions.Strategy,
                MaxConnectionsPerHost = _conditions.MaxConnectionsPerHost,
                PipelineDepth = _conditions.PipelineDepth,
            },
            Objects = objects,
            Connections = connections,
            Title = _recorded.Title,
            Prediction = new PredictionRecord(
                _recorded.Id, DocumentJson.Name(_conditions.Strategy), _conditions.RttMs, _conditions.DownKbps, _conditions.UpKbps,
                _conditions.MaxConnectionsPerHost, PredictionRecord.ModelDescription),
        };
        PageMetricsCalculator.Compute(document);
        return document;
    }

    private static ObjectRecord Predicted(ReplayObject o)
    {
        // A copy of what was recorded (URL, sizes, status, headers), with the predicted times.
        var record = JsonSerializer.Deserialize<ObjectRecord>(JsonSerializer.Serialize(o.Recorded, DocumentJson.Options), DocumentJson.Options)!;
        record.TcpInfo = null;
        var start = o.AvailableAt ?? o.Recorded.StartMs;
        var end = o.End ?? start;
        record.StartMs = start;
        record.EndMs = end;
        if (o.Connection is not { } connection || o.SendStart is not { } sendStart)
        {
            record.ConnectionId = null;
            record.Timings = o.Network ? ObjectTimings.None : o.Recorded.Timings;
            record.Time = end - start;
            return record;
        }

        var receiveStart = o.ReceiveStart ?? o.FirstByteDue;
        var dns = o.NewConnection ? connection.DnsMs : -1;
        var connect = o.NewConnection ? connection.ConnectMs : -1;
        var ssl = o.NewConnection ? connection.SslMs : -1;
        var setup = Math.Max(dns, 0) + Math.Max(connect, 0);
        record.ConnectionId = connection.Id;
        record.ReusedConnection = !o.NewConnection;
        record.Retries = 0;
        record.Timings = new ObjectTimings(
            Math.Max(0, sendStart - start - setup), dns, connect, ssl, o.SendEnd - sendStart, Math.Max(0, receiveStart - o.SendEnd), Math.Max(0, end - receiveStart));
        record.Time = end - start;
        return record;
    }
}
