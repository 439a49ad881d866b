namespace FetchAgent.Engine.Http1;

/// <summary>RFC 9112 §9.3: may the connection carry another request after this response?</summary>
public static class ConnectionPersistence
{
    /// <summary>
    /// HTTP/1.1: persistent unless a <c>close</c> connection option; HTTP/1.0: only with <c>keep-alive</c>;
    /// never after a close-delimited body.
    /// </summary>
    public static bool IsPersistent(ResponseHead head, BodyFraming framing) => throw new NotImplementedException();
}
