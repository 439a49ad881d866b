using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Http1;

/// <summary>A response that broke RFC 9112 or ended early. <see cref="Exception.Message"/> is the object's error text.</summary>
public sealed class HttpProtocolException : IOException
{
    public HttpProtocolException(ResponseRejection reason, string message, Exception? inner = null)
        : base(message, inner)
    {
        Reason = reason;
    }

    public ResponseRejection Reason { get; }

    /// <summary>The machine-readable kind beside the text: what the rejection means to someone filtering failures.</summary>
    public ErrorKind Kind => Reason switch
    {
        // Nothing came back, or the connection died under the exchange: the connection was lost, not the response malformed.
        ResponseRejection.ClosedBeforeResponse or ResponseRejection.ConnectionFailed or ResponseRejection.Http2StreamReset => ErrorKind.Reset,
        ResponseRejection.Truncated => ErrorKind.Truncated,
        // FetchAgent's own limits: maxBodyBytes and the 64 KiB header section.
        ResponseRejection.BodyTooLarge or ResponseRejection.HeaderSectionTooLarge => ErrorKind.Limit,
        _ => ErrorKind.Protocol,
    };

    /// <summary>Body bytes read before the failure (after de-chunking), so a truncated object still reports its size.</summary>
    public long BodyBytesSoFar { get; init; }
}
