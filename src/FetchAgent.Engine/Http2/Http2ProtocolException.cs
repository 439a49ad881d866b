using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Http2;

/// <summary>
/// A connection error (RFC 9113 §5.4.1): the peer broke HTTP/2, so the whole connection ends with GOAWAY carrying
/// <see cref="Code"/>. <see cref="Exception.Message"/> is the error text every open stream's object gets.
/// </summary>
public sealed class Http2ProtocolException : IOException
{
    public Http2ProtocolException(Http2ErrorCode code, string message, ErrorKind kind = ErrorKind.Protocol, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        Kind = kind;
    }

    public Http2ErrorCode Code { get; }

    /// <summary>The machine-readable kind beside the text.</summary>
    public ErrorKind Kind { get; }
}

/// <summary>A stream error (RFC 9113 §5.4.2): one stream ended, by the peer's RST_STREAM or by a rule it broke; the connection lives on.</summary>
public sealed class Http2StreamException : IOException
{
    public Http2StreamException(Http2ErrorCode code, string message, ErrorKind kind = ErrorKind.Reset)
        : base(message)
    {
        Code = code;
        Kind = kind;
    }

    public Http2ErrorCode Code { get; }

    public ErrorKind Kind { get; }

    /// <summary>Bytes of the stream's body read before it ended.</summary>
    public long BodyBytesSoFar { get; init; }
}
