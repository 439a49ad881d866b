using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.WhatIf;

/// <summary>One recorded object in the replay: what the recording says of it, and what the replay predicts.</summary>
internal sealed class ReplayObject(ObjectRecord recorded, string origin)
{
    public ObjectRecord Recorded { get; } = recorded;

    /// <summary><c>scheme://host:port</c>: the pool it is requested on.</summary>
    public string Origin { get; } = origin;

    /// <summary>False for what crossed no network in the recording (a cache hit, an object that never got an answer): it keeps its recorded time.</summary>
    public bool Network { get; init; }

    public long RequestBytes { get; init; }
    public long ResponseBytes { get; init; }

    /// <summary>The server's think time: the recorded wait less the recording's round trip.</summary>
    public double ThinkMs { get; init; }

    public List<ReplayObject> Children { get; } = [];
    public ReplayObject? Parent { get; set; }

    // ---- predicted ----
    public double? AvailableAt { get; set; }
    public ReplayConnection? Connection { get; set; }
    public bool NewConnection { get; set; }
    public double AssignedAt { get; set; }
    public double? SendStart { get; set; }
    public double SendEnd { get; set; }

    /// <summary>When the response's first byte could arrive: the request's end, a round trip and the server's think time.</summary>
    public double FirstByteDue { get; set; }

    public double? ReceiveStart { get; set; }
    public long BytesLeft { get; set; }
    public double? End { get; set; }
}

/// <summary>A simulated connection: its setup, congestion window (slow start) and the round it is sending.</summary>
internal sealed class ReplayConnection(int id, string origin, bool keepsAlive)
{
    public int Id { get; } = id;
    public string Origin { get; } = origin;

    /// <summary>False for serial and parallel: one exchange, then the connection closes (<c>Connection: close</c>).</summary>
    public bool KeepsAlive { get; } = keepsAlive;

    public double OpenedAt { get; init; }
    public double DnsMs { get; init; } = -1;
    public double ConnectMs { get; init; }
    public double SslMs { get; init; } = -1;
    public double ReadyAt => OpenedAt + Math.Max(DnsMs, 0) + ConnectMs;

    /// <summary>Exchanges on it not yet complete, in the order they were sent.</summary>
    public List<ReplayObject> InFlight { get; } = [];

    public int Requests { get; set; }
    public double? ClosedAt { get; set; }

    /// <summary>Congestion window in bytes: 10 segments at first, doubling per round until the bandwidth-delay product.</summary>
    public double Cwnd { get; set; } = EmulatedNetwork.InitialWindowBytes;

    /// <summary>Bytes the connection has sent that are still crossing the link.</summary>
    public double RoundBytesLeft { get; set; }

    /// <summary>When the current round (one round trip of the ACK clock) began; null before the first.</summary>
    public double? RoundStart { get; set; }

    /// <summary>Bytes sent in the current round: at most the congestion window.</summary>
    public double RoundSent { get; set; }

    /// <summary>When its last exchange ended (its setup's end before any): where a reuse, or an HTTP/1.1 answer in order, starts.</summary>
    public double FreeSince { get; set; }
}
