namespace FetchAgent.Engine.Http1;

/// <summary>
/// Reads responses, one after another, from one connection's stream (RFC 9112).
/// Keeps bytes that arrived past one response for the next (persistence, pipelining).
/// </summary>
public sealed class ResponseReader
{
    public const int DefaultMaxHeaderBytes = 64 * 1024;

    public ResponseReader(Stream stream, TimeProvider timeProvider, int maxHeaderBytes = DefaultMaxHeaderBytes)
    {
        _ = stream;
        _ = timeProvider;
        _ = maxHeaderBytes;
    }

    /// <summary>True when bytes past the last response are buffered (an idle connection should have none).</summary>
    public bool HasBufferedData => throw new NotImplementedException();

    /// <summary>Reads the status line and header section, skipping 1xx interim responses (RFC 9110 §15.2).</summary>
    public ValueTask<ResponseHead> ReadHeadAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Reads the body framed as RFC 9112 §6.3 says for this head and request method.</summary>
    public ValueTask<ResponseBody> ReadBodyAsync(ResponseHead head, string requestMethod, BodyReadOptions options, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
