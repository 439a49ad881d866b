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
}
