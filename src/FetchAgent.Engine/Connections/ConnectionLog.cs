using Microsoft.Extensions.Logging;

namespace FetchAgent.Engine.Connections;

/// <summary>
/// The pool and connection decisions as log events, at Debug, in the category <see cref="Category"/>. Each message
/// starts with when the decision happened (ms from the page load's start) and the connection it concerns, so a line
/// reads like curl -v's <c>*</c> lines. Written by <see cref="PoolTrace"/> once the page's connections have closed.
/// </summary>
public static partial class ConnectionLog
{
    /// <summary>The category the engine's pool decisions are logged under.</summary>
    public const string Category = "FetchAgent.Engine.Connections";

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "{Ms:0.000} ms #{ConnectionId} dns {Host} resolved in {DnsMs:0.000} ms")]
    internal static partial void DnsResolved(ILogger logger, double ms, string connectionId, string host, double dnsMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "{Ms:0.000} ms #{ConnectionId} connect to {Remote}")]
    internal static partial void Connecting(ILogger logger, double ms, string connectionId, string remote);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "{Ms:0.000} ms #{ConnectionId} connected {Local} -> {Remote}")]
    internal static partial void Connected(ILogger logger, double ms, int connectionId, string local, string remote);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "{Ms:0.000} ms #{ConnectionId} TLS done: {TlsProtocol}, ALPN {Alpn}")]
    internal static partial void TlsDone(ILogger logger, double ms, int connectionId, string tlsProtocol, string alpn);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "{Ms:0.000} ms #{ConnectionId} failed to open: {Error}")]
    internal static partial void OpenFailed(ILogger logger, double ms, int connectionId, string error);

    [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "{Ms:0.000} ms no connection to {Origin}: {Error}")]
    internal static partial void NotOpened(ILogger logger, double ms, string origin, string error);

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "{Ms:0.000} ms {Method} {Target} queued for {Origin} ({SlotsTaken} of {Slots} connections taken, {Waiting} waiting)")]
    internal static partial void Queued(ILogger logger, double ms, string method, string target, string origin, int slotsTaken, int slots, int waiting);

    [LoggerMessage(EventId = 8, Level = LogLevel.Debug, Message = "{Ms:0.000} ms #{ConnectionId} new connection for {Method} {Target}")]
    internal static partial void OpenedFor(ILogger logger, double ms, int connectionId, string method, string target);

    [LoggerMessage(EventId = 9, Level = LogLevel.Debug, Message = "{Ms:0.000} ms #{ConnectionId} reused (idle) for {Method} {Target}")]
    internal static partial void Reused(ILogger logger, double ms, int connectionId, string method, string target);

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "{Ms:0.000} ms #{ConnectionId} handed on to {Method} {Target}")]
    internal static partial void HandedOn(ILogger logger, double ms, int connectionId, string method, string target);

    [LoggerMessage(EventId = 11, Level = LogLevel.Debug, Message = "{Ms:0.000} ms #{ConnectionId} pipelined {Method} {Target} behind {InFlight} in flight")]
    internal static partial void Pipelined(ILogger logger, double ms, int connectionId, string method, string target, int inFlight);

    [LoggerMessage(EventId = 12, Level = LogLevel.Debug, Message = "{Ms:0.000} ms #{ConnectionId} not taken by {Method} {Target} (gone meanwhile)")]
    internal static partial void Ungranted(ILogger logger, double ms, int connectionId, string method, string target);

    [LoggerMessage(EventId = 13, Level = LogLevel.Debug, Message = "{Ms:0.000} ms #{ConnectionId} retired: {Reason}{Detail}")]
    internal static partial void Retired(ILogger logger, double ms, int connectionId, string reason, string detail);

    [LoggerMessage(EventId = 14, Level = LogLevel.Debug, Message = "{Ms:0.000} ms {Method} {Target} retried on a new connection (#{ConnectionId} closed before any response byte)")]
    internal static partial void Retried(ILogger logger, double ms, string method, string target, int connectionId);

    [LoggerMessage(EventId = 15, Level = LogLevel.Debug, Message = "{Ms:0.000} ms #{ConnectionId} closed ({Reason}, {Requests} requests, {How})")]
    internal static partial void Closed(ILogger logger, double ms, int connectionId, string reason, int requests, string how);

    [LoggerMessage(EventId = 16, Level = LogLevel.Debug, Message = "{Ms:0.000} ms #{ConnectionId} {Method} {Target} is stream {StreamId} on connection #{Connection} (multiplexed, {Others} other streams in flight)")]
    internal static partial void Multiplexed(ILogger logger, double ms, int connectionId, string method, string target, int streamId, int connection, int others);

    [LoggerMessage(EventId = 20, Level = LogLevel.Debug, Message = "{Ms:0.000} ms #{ConnectionId} kept open, idle, for the repeat view (--keep-connections)")]
    internal static partial void Kept(ILogger logger, double ms, int connectionId);
}
