namespace FetchAgent.Engine.Http1;

/// <summary>Why a response was rejected; each maps to a short, specific error text.</summary>
public enum ResponseRejection
{
    /// <summary>EOF or reset before any byte of the response: the one case a request may be retried (RFC 9112 §9.3.1).</summary>
    ClosedBeforeResponse,
    InvalidStatusLine,
    InvalidHeaderLine,
    HeaderSectionTooLarge,
    InvalidContentLength,
    ConflictingContentLength,
    UnsupportedTransferEncoding,
    InvalidChunkSize,
    ChunkSizeOverflow,
    InvalidChunkData,
    Truncated,
    BodyTooLarge,
    ConnectionFailed,

    /// <summary>A Content-Length of digits only, but past what 64 bits hold (RFC 9110 §8.6).</summary>
    ContentLengthTooLarge,

    /// <summary>Transfer-Encoding without chunked last, together with Content-Length (RFC 9112 §6.3 rule 3).</summary>
    TransferEncodingWithContentLength,

    /// <summary>A 101 Switching Protocols that no request asked for (RFC 9110 §7.8, §15.2.2): the connection is no longer HTTP/1.1.</summary>
    UnrequestedUpgrade,

    /// <summary>Bytes after a complete response that no request asked for (RFC 9112 §6.3, last paragraph).</summary>
    UnexpectedData,

    /// <summary>HTTP/2: the connection or a stream broke RFC 9113 or RFC 7541 (§5.4).</summary>
    Http2ProtocolError,

    /// <summary>HTTP/2: the server reset the stream with RST_STREAM (§6.4).</summary>
    Http2StreamReset,
}
