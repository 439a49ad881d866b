namespace FetchAgent.Engine.Model;

/// <summary>
/// The machine-readable kind beside every error text (<c>errorKind</c> in the document, the API and HAR's
/// <c>_errorKind</c>): what a script filters on, while the text stays for people. Written kebab-case in JSON.
/// </summary>
public enum ErrorKind
{
    /// <summary>A deadline passed: connect, object or page (<c>timeout: …</c>).</summary>
    Timeout,

    /// <summary>The DNS step failed (<c>dns: …</c>).</summary>
    Dns,

    /// <summary>TCP connect was refused by every address (RST to the SYN).</summary>
    Refused,

    /// <summary>TCP connect failed otherwise: unreachable host or network, no route, address not available.</summary>
    Unreachable,

    /// <summary>The TLS handshake failed or the certificate was not trusted (<c>tls: …</c>).</summary>
    Tls,

    /// <summary>The destination policy kept the request from leaving (<c>policy: …</c>).</summary>
    Policy,

    /// <summary>The connection was reset or failed under the exchange (<c>connection error: …</c>).</summary>
    Reset,

    /// <summary>The response ended before its framing said it would, or the server closed before answering.</summary>
    Truncated,

    /// <summary>The response broke HTTP/1.1's syntax or framing (RFC 9112), or the connection stopped being HTTP/1.1.</summary>
    Protocol,

    /// <summary>A limit of FetchAgent's: body size, header section size, decoded size, parse cap.</summary>
    Limit,

    /// <summary>A Content-Encoding that could not be undone (bad gzip, deflate or br data), or a body not decodable.</summary>
    Decoding,

    /// <summary>A redirect that could not be followed: a bad Location, too many hops, a loop.</summary>
    Redirect,

    /// <summary>A client asked the load to end (DELETE), or the daemon stopped while it ran.</summary>
    Cancelled,

    /// <summary>The finished load could not be written to the database; it is kept in memory as failed.</summary>
    Storage,

    /// <summary>A fault of FetchAgent's own: always a bug worth reporting.</summary>
    Internal,
}
