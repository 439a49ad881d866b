namespace FetchAgent.Engine.Http1;

/// <summary>Formats a request head (RFC 9112 §3) as FetchAgent sends it.</summary>
public static class RequestWriter
{
    /// <summary>The field lines sent for this request, in order: Host, User-Agent, Accept, Accept-Encoding, Connection.</summary>
    public static IReadOnlyList<HeaderField> Headers(Uri url, string accept, bool closeConnection) => throw new NotImplementedException();

    /// <summary>The request line and header section as bytes, ready for the socket.</summary>
    public static byte[] Format(string method, Uri url, IReadOnlyList<HeaderField> headers) => throw new NotImplementedException();
}
