namespace FetchAgent.Engine.Model;

/// <summary>
/// How objects are put on connections: the four ways the connection-management
/// chapter compares (serial, parallel, persistent, pipelined).
/// </summary>
public enum ConnectionStrategy
{
    /// <summary>One connection at a time for the whole page, a new one per object (<c>Connection: close</c>).</summary>
    Serial,

    /// <summary>Up to N connections per origin at once, a new one per object.</summary>
    Parallel,

    /// <summary>Up to N connections per origin, kept open and reused (RFC 9112 §9.3).</summary>
    Persistent,

    /// <summary>Persistent, plus several idempotent requests in flight per connection (RFC 9112 §9.3.2).</summary>
    Pipelined,

    /// <summary>
    /// HTTP/2 (RFC 9113): one connection per origin, every request a stream on it. ALPN offers h2 then http/1.1; an
    /// origin whose server picks http/1.1 is loaded as <see cref="Persistent"/>.
    /// </summary>
    Multiplexed,
}
