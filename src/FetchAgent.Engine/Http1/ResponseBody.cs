namespace FetchAgent.Engine.Http1;

/// <summary>What was read of a message body (RFC 9112 §6).</summary>
public sealed class ResponseBody
{
    public required BodyFraming Framing { get; init; }

    /// <summary>Body bytes as they crossed the wire after de-chunking, before Content-Encoding is undone.</summary>
    public required long WireBytes { get; init; }

    /// <summary>
    /// The body itself when <see cref="BodyReadOptions.KeepContent"/> asked for it (still content-coded), at most its
    /// first <see cref="BodyReadOptions.MaxKeptBytes"/>; else empty. Shorter than <see cref="WireBytes"/> when cut.
    /// </summary>
    public ReadOnlyMemory<byte> Content { get; init; }

    public IReadOnlyList<HeaderField> Trailers { get; init; } = [];

    /// <summary>
    /// The body's last four bytes as a little-endian number (fewer bytes: those, zero-filled above): for a gzip body, its
    /// ISIZE trailer, the uncompressed size modulo 2^32 (RFC 1952 §2.3.1), read without decoding anything.
    /// </summary>
    public uint LastFourBytes { get; init; }

    /// <summary><see cref="TimeProvider.GetTimestamp"/> when the last body byte (or the head, for no body) was read.</summary>
    public required long LastByteTimestamp { get; init; }
}

/// <summary>How the end of the body was found, RFC 9112 §6.3.</summary>
public enum BodyFraming
{
    /// <summary>HEAD, 1xx, 204, 304: no body.</summary>
    None,
    ContentLength,
    Chunked,

    /// <summary>Read until the server closed: the connection cannot be reused.</summary>
    CloseDelimited,
}

public sealed record BodyReadOptions(long MaxBodyBytes, bool KeepContent)
{
    /// <summary>
    /// With <see cref="KeepContent"/>: keep at most this many leading body bytes; the rest is read, counted and
    /// observed but not kept (what discovery parses is capped; the wire size is still measured).
    /// </summary>
    public long MaxKeptBytes { get; init; } = long.MaxValue;

    /// <summary>
    /// Sees each run of body bytes as it is read (after de-chunking, before Content-Encoding is undone), so a
    /// preload scanner can work while the body is still arriving. It must not keep the span. An observer that
    /// throws is dropped for the rest of that body; the exchange goes on.
    /// </summary>
    public BodyObserver? Observer { get; init; }
}

/// <summary>Called with a run of body bytes as it is read; <paramref name="head"/> is the response's head.</summary>
public delegate void BodyObserver(ResponseHead head, ReadOnlySpan<byte> body);
