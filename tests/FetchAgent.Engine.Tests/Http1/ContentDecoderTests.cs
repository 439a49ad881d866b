using System.IO.Compression;
using System.Text;
using FetchAgent.Engine.Http1;

namespace FetchAgent.Engine.Tests.Http1;

/// <summary>Pure byte transforms: in-memory streams are fine here, no network involved.</summary>
public sealed class ContentDecoderTests
{
    private static readonly byte[] s_text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("<p>Grüße, FetchAgent</p>\n", 200)));

    private static byte[] Compress(byte[] data, Func<Stream, Stream> wrap)
    {
        var output = new MemoryStream();
        using (var compressor = wrap(output))
            compressor.Write(data);
        return output.ToArray();
    }

    private static byte[] Gzip(byte[] data) => Compress(data, s => new GZipStream(s, CompressionLevel.Optimal));
    private static byte[] Zlib(byte[] data) => Compress(data, s => new ZLibStream(s, CompressionLevel.Optimal));
    private static byte[] RawDeflate(byte[] data) => Compress(data, s => new DeflateStream(s, CompressionLevel.Optimal));
    private static byte[] Brotli(byte[] data) => Compress(data, s => new BrotliStream(s, CompressionLevel.Optimal));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("identity")]
    public void IdentityIsAsIs(string? coding) =>
        Assert.Equal(s_text, ContentDecoder.Decode(s_text, coding, 1 << 20));

    [Theory]
    [InlineData("gzip")]
    [InlineData("x-gzip")]
    [InlineData("GZIP")]
    public void Gzip_(string coding) => Assert.Equal(s_text, ContentDecoder.Decode(Gzip(s_text), coding, 1 << 20));

    [Fact]
    public void DeflateAsZlib() => Assert.Equal(s_text, ContentDecoder.Decode(Zlib(s_text), "deflate", 1 << 20));

    [Fact]
    public void DeflateRawAsBrowsersAccept() => Assert.Equal(s_text, ContentDecoder.Decode(RawDeflate(s_text), "deflate", 1 << 20));

    [Fact]
    public void Br() => Assert.Equal(s_text, ContentDecoder.Decode(Brotli(s_text), "br", 1 << 20));

    [Fact]
    public void ChainIsUndoneInReverseOrder()
    {
        // Applied gzip first, then br: "Content-Encoding: gzip, br".
        var encoded = Brotli(Gzip(s_text));

        Assert.Equal(s_text, ContentDecoder.Decode(encoded, "gzip, identity, br", 1 << 20));
    }

    [Fact]
    public void UnknownCoding()
    {
        var error = Assert.Throws<InvalidDataException>(() => ContentDecoder.Decode(s_text, "gzip, zstd", 1 << 20));
        Assert.Equal("unsupported content coding: zstd", error.Message);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    [InlineData("deflate")]
    public void CorruptData(string coding)
    {
        var corrupt = coding == "gzip" ? Gzip(s_text)[..10].Concat(new byte[] { 0xff, 0xff, 0xff, 0xff, 0xff }).ToArray() : Encoding.ASCII.GetBytes("this is not compressed at all, really not");
        var error = Assert.Throws<InvalidDataException>(() => ContentDecoder.Decode(corrupt, coding, 1 << 20));
        Assert.Equal($"content decoding failed: {coding}", error.Message);
    }

    [Fact]
    public void TooLarge()
    {
        var bomb = Gzip(new byte[1_000_000]);

        var error = Assert.Throws<InvalidDataException>(() => ContentDecoder.Decode(bomb, "gzip", 100_000));

        Assert.Equal("decoded body too large: over 100000 bytes", error.Message);
    }

    [Fact]
    public void ExactlyTheLimitIsFine() =>
        Assert.Equal(s_text.Length, ContentDecoder.Decode(Gzip(s_text), "gzip", s_text.Length).Length);
}
