using FetchAgent.Engine.Model;


namespace FetchAgent.Storage.Sqlite.Rows;

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

    /// <summary>The proxy it went to, http://host:port (0010); null when direct.</summary>
    public string? Proxy { get; set; }

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
        Proxy = c.Proxy,
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
        Proxy = Proxy,
        ProxyMs = ProxyMs,
    };
}
