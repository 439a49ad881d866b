using System.Net.Security;
using FetchAgent.Engine.Navigation;

namespace FetchAgent.Engine.Connections;

/// <summary>
/// The kinds of connection a pool makes: what TLS offers in ALPN (RFC 7301), in order of preference, and the
/// connection that carries exchanges in the protocol the handshake settled on. An HTTP/2 connection is one more
/// protocol offered here and one more kind made; the pool's policy does not change.
/// </summary>
internal abstract class ConnectionFactory
{
    /// <summary>HTTP/1.1 alone: ALPN offers <c>http/1.1</c>, and every connection is a <see cref="PersistentConnection"/>.</summary>
    public static ConnectionFactory Http1 { get; } = new Http1Factory();

    /// <summary>The factory a load's strategy asks for: <c>multiplexed</c> offers h2 first, every other strategy HTTP/1.1 alone.</summary>
    public static ConnectionFactory For(Model.LoadOptions options) =>
        options.Strategy == Model.ConnectionStrategy.Multiplexed ? new Http2Factory(options.Http2PriorKnowledge) : Http1;

    /// <summary>What ALPN offers, most preferred first; empty sends no ALPN extension.</summary>
    public abstract IReadOnlyList<SslApplicationProtocol> ApplicationProtocols { get; }

    /// <summary>The connection for an opened transport (whose <see cref="Transport.ApplicationProtocol"/> says what ALPN chose).</summary>
    public abstract PooledConnection Create(int id, Origin origin, Transport transport, PageClock clock, PoolTrace? trace);

    private sealed class Http1Factory : ConnectionFactory
    {
        private static readonly SslApplicationProtocol[] Offered = [SslApplicationProtocol.Http11];

        public override IReadOnlyList<SslApplicationProtocol> ApplicationProtocols => Offered;

        // No ALPN answer (plain TCP, or a server that chose none) is HTTP/1.1 too (RFC 7301 §3.2: the client goes on as it would without ALPN).
        public override PooledConnection Create(int id, Origin origin, Transport transport, PageClock clock, PoolTrace? trace) =>
            new PersistentConnection(id, origin, transport, clock) { Trace = trace };
    }

    /// <summary>
    /// ALPN offers <c>h2</c> then <c>http/1.1</c> (RFC 9113 §3.2); the server's choice decides the kind. Over plain
    /// TCP, h2c with prior knowledge (§3.3) when asked for, as curl's <c>--http2-prior-knowledge</c>; else HTTP/1.1.
    /// </summary>
    private sealed class Http2Factory(bool priorKnowledge) : ConnectionFactory
    {
        private static readonly SslApplicationProtocol[] Offered = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];

        public override IReadOnlyList<SslApplicationProtocol> ApplicationProtocols => Offered;

        public override PooledConnection Create(int id, Origin origin, Transport transport, PageClock clock, PoolTrace? trace)
        {
            var h2 = transport.TlsProtocol is null ? priorKnowledge : transport.ApplicationProtocol == SslApplicationProtocol.Http2;
            if (h2)
                return new Http2Connection(id, origin, transport, clock) { Trace = trace };
            var fallback = new PersistentConnection(id, origin, transport, clock) { Trace = trace };
            fallback.Record.Protocol = "http/1.1";
            return fallback;
        }
    }
}
