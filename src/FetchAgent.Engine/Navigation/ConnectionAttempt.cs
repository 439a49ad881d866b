using System.Net;
using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Navigation;

/// <summary>
/// The clock readings of one attempt to open a connection, taken around each browser step as it
/// happens: DNS, TCP connect, TLS. A step that did not run keeps null. When the attempt fails,
/// <see cref="FailedAt"/> is when, and the step in progress then is the one that failed, so a DNS
/// failure is DNS time, a refused connect is connect time and a failed handshake is TLS time.
/// </summary>
public sealed class ConnectionAttempt
{
    /// <summary>This attempt looked the host up (null when the page load's DNS cache answered or the host is a literal).</summary>
    public long? DnsStart { get; internal set; }
    public long? DnsEnd { get; internal set; }

    /// <summary>The first connect (SYN) began.</summary>
    public long? ConnectStart { get; internal set; }

    /// <summary>The TCP handshake completed: the connect call returned, nothing else done yet.</summary>
    public long? ConnectEnd { get; internal set; }

    /// <summary>The CONNECT request to the proxy was about to be written (https through a proxy): where TCP ended.</summary>
    public long? ProxyStart { get; internal set; }

    /// <summary>The proxy's 2xx to CONNECT was read: the tunnel is open, and TLS starts here.</summary>
    public long? ProxyEnd { get; internal set; }

    /// <summary>TLS began; the same reading as <see cref="ConnectEnd"/>, so TCP and TLS share their boundary.</summary>
    public long? TlsStart { get; internal set; }

    /// <summary>The TLS handshake completed.</summary>
    public long? TlsEnd { get; internal set; }

    public long? FailedAt { get; internal set; }
    public string? Error { get; internal set; }
    public ErrorKind? ErrorKind { get; internal set; }

    /// <summary>The last address tried, and the local end once connected (a failed connect's local port is released).</summary>
    public IPEndPoint? RemoteEndPoint { get; internal set; }
    public IPEndPoint? LocalEndPoint { get; internal set; }

    public bool Failed => FailedAt is not null;

    /// <summary>When the connection could carry a request: TCP done, and TLS for https.</summary>
    public long? Ready => TlsEnd ?? (TlsStart is null ? ConnectEnd : null);

    /// <summary>The first reading of connection work: the lookup, else the connect.</summary>
    public long? Start => DnsStart ?? ConnectStart ?? FailedAt;

    /// <summary>The step that was running when the attempt failed.</summary>
    public BrowserStep? FailedStep =>
        !Failed ? null
        : TlsStart is not null ? BrowserStep.Tls
        : ProxyStart is not null ? BrowserStep.Proxy
        : ConnectStart is not null ? BrowserStep.Connect
        : DnsStart is not null ? BrowserStep.Dns
        : null;
}

/// <summary>The chapter's steps before HTTP that take time on the network.</summary>
public enum BrowserStep
{
    Dns,
    Connect,
    Tls,

    /// <summary>The CONNECT exchange with a proxy (DevTools' "proxy negotiation").</summary>
    Proxy,
}
