using System.IO.Compression;

namespace FetchAgent.TestServers;

/// <summary>Bodies as servers send them with a Content-Encoding: the standard gzip (RFC 1952) and br (RFC 7932) streams.</summary>
public static class ContentCodings
{
    public static byte[] Gzip(byte[] data) => Code(data, s => new GZipStream(s, CompressionLevel.Optimal));

    public static byte[] Brotli(byte[] data) => Code(data, s => new BrotliStream(s, CompressionLevel.Optimal));

    private static byte[] Code(byte[] data, Func<Stream, Stream> coder)
    {
        using var output = new MemoryStream();
        using (var stream = coder(output))
            stream.Write(data);
        return output.ToArray();
    }
}
