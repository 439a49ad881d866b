using System.Text.Json;
using FetchAgent.Engine.Model;


namespace FetchAgent.Storage.Rows;

/// <summary>A <c>connections</c> row (<see cref="Tables.Connections"/>): the 4-tuple, setup phases, keep-alive parameters and how it closed.</summary>
internal sealed class ConnectionRow
{
    public long PageLoadId { get; set; }
    public long Id { get; set; }
    public string Scheme { get; set; } = "";
    public string Host { get; set; } = "";
    public long Port { get; set; }
    public string? RemoteAddress { get; set; }
    public long RemotePort { get; set; }
    public string? LocalAddress { get; set; }
    public long LocalPort { get; set; }
    public double OpenedMs { get; set; }
    public double? ClosedMs { get; set; }
    public double DnsMs { get; set; }
    public double ConnectMs { get; set; }
    public double SslMs { get; set; }
    public long Requests { get; set; }
    public string? CloseReason { get; set; }
    public long KeepAlive { get; set; }
    public long? KeepAliveTimeoutS { get; set; }
    public long? KeepAliveMax { get; set; }
    public string? TlsProtocol { get; set; }
    public string? Error { get; set; }

    /// <summary>migrations/sqlite/0007_error_kind.sql: null without an error, and on connections stored before.</summary>
    public string? ErrorKind { get; set; }

    /// <summary>migrations/sqlite/0009_http2_connections.sql: the multiplexed strategy's protocol and HTTP/2's own facts.</summary>
    public string? Protocol { get; set; }

    /// <summary>The server's SETTINGS as a JSON object, names in the order received.</summary>
    public string? PeerSettings { get; set; }
    public long? PeakConcurrentStreams { get; set; }
    public string? Goaway { get; set; }

    /// <summary>migrations/sqlite/0012_time_wait.sql: 1 or 0, null when unknown; who closed first.</summary>
    public long? TimeWait { get; set; }

    public string? ClosedBy { get; set; }

    /// <summary>migrations/sqlite/0013_tcp_info.sql: the kernel's TCP_INFO reading at close, as JSON; null when none.</summary>
    public string? TcpInfo { get; set; }

    /// <summary>migrations/sqlite/0018_cache_and_proxy_fields.sql: 1 for a first view's connection kept open for the repeat view.</summary>
    public long KeptForRepeatView { get; set; }

    /// <summary>migrations/sqlite/0018_cache_and_proxy_fields.sql: the first view's id of the connection a repeat view's continues; null when its own.</summary>
    public long? KeptFrom { get; set; }

    /// <summary>The proxy it went to, http://host:port (0010); null when direct.</summary>
    public string? Proxy { get; set; }

    /// <summary>migrations/sqlite/0015_after_onload.sql: 1 for a connection of an origin's anonymous pool.</summary>
    public long Anonymous { get; set; }

    /// <summary>The CONNECT exchange (0010); -1 when none.</summary>
    public double ProxyMs { get; set; } = -1;

    public static ConnectionRow From(long pageLoadId, ConnectionRecord c) => new()
    {
        PageLoadId = pageLoadId,
        Id = c.Id,
        Scheme = c.Scheme,
        Host = c.Host,
        Port = c.Port,
        RemoteAddress = c.RemoteAddress,
        RemotePort = c.RemotePort,
        LocalAddress = c.LocalAddress,
        LocalPort = c.LocalPort,
        OpenedMs = c.OpenedMs,
        ClosedMs = c.ClosedMs,
        DnsMs = c.DnsMs,
        ConnectMs = c.ConnectMs,
        SslMs = c.SslMs,
        Requests = c.Requests,
        CloseReason = c.CloseReason is { } reason ? StoredText.Enum(reason) : null,
        KeepAlive = c.KeepAlive is null ? 0 : 1,
        KeepAliveTimeoutS = c.KeepAlive?.TimeoutS,
        KeepAliveMax = c.KeepAlive?.Max,
        TlsProtocol = c.TlsProtocol,
        Error = c.Error,
        ErrorKind = c.ErrorKind is { } kind ? StoredText.Enum(kind) : null,
        Protocol = c.Protocol,
        PeerSettings = c.PeerSettings is null ? null : System.Text.Json.JsonSerializer.Serialize(c.PeerSettings),
        PeakConcurrentStreams = c.PeakConcurrentStreams,
        Goaway = c.GoAway,
        TimeWait = c.TimeWait is { } timeWait ? (timeWait ? 1 : 0) : null,
        ClosedBy = c.ClosedBy is { } by ? StoredText.Enum(by) : null,
        TcpInfo = c.TcpInfo is null ? null : JsonSerializer.Serialize(c.TcpInfo, DocumentJson.Options),
        KeptForRepeatView = c.KeptForRepeatView ? 1 : 0,
        KeptFrom = c.KeptFrom,
        Proxy = c.Proxy,
        Anonymous = c.Anonymous ? 1 : 0,
        ProxyMs = c.ProxyMs,
    };

    public ConnectionRecord ToRecord() => new()
    {
        Id = checked((int)Id),
        Scheme = Scheme,
        Host = Host,
        Port = checked((int)Port),
        RemoteAddress = RemoteAddress,
        RemotePort = checked((int)RemotePort),
        LocalAddress = LocalAddress,
        LocalPort = checked((int)LocalPort),
        OpenedMs = OpenedMs,
        ClosedMs = ClosedMs,
        DnsMs = DnsMs,
        ConnectMs = ConnectMs,
        SslMs = SslMs,
        Requests = checked((int)Requests),
        CloseReason = CloseReason is null ? null : StoredText.Enum<CloseReason>(CloseReason),
        KeepAlive = KeepAlive != 0
            ? new KeepAliveRecord(KeepAliveTimeoutS is { } t ? checked((int)t) : null, KeepAliveMax is { } m ? checked((int)m) : null)
            : null,
        TlsProtocol = TlsProtocol,
        Error = Error,
        ErrorKind = ErrorKind is { } kind ? StoredText.Enum<ErrorKind>(kind) : null,
        Protocol = Protocol,
        PeerSettings = PeerSettings is null ? null : System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, long>>(PeerSettings),
        PeakConcurrentStreams = PeakConcurrentStreams is { } peak ? checked((int)peak) : null,
        GoAway = Goaway,
        TimeWait = TimeWait is { } timeWait ? timeWait != 0 : null,
        ClosedBy = ClosedBy is { } by ? StoredText.Enum<ClosedBy>(by) : null,
        TcpInfo = TcpInfo is null ? null : JsonSerializer.Deserialize<TcpInfoRecord>(TcpInfo, DocumentJson.Options),
        KeptForRepeatView = KeptForRepeatView != 0,
        KeptFrom = KeptFrom is { } from ? checked((int)from) : null,
        Proxy = Proxy,
        Anonymous = Anonymous != 0,
        ProxyMs = ProxyMs,
    };
}
