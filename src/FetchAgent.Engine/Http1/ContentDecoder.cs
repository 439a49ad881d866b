namespace FetchAgent.Engine.Http1;

/// <summary>Undoes Content-Encoding (RFC 9110 §8.4): gzip, deflate, br, identity, in the order they were applied.</summary>
public static class ContentDecoder
{
    /// <summary>The decoded bytes; throws <see cref="InvalidDataException"/> with a specific message on bad data or past maxDecodedBytes.</summary>
    public static byte[] Decode(ReadOnlyMemory<byte> content, string? contentEncoding, long maxDecodedBytes) => throw new NotImplementedException();
}
