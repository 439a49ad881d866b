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

    /// <summary>Body bytes read before the failure (after de-chunking), so a truncated object still reports its size.</summary>
    public long BodyBytesSoFar { get; init; }
}
