using System.Buffers.Binary;
using System.Text;
using FetchAgent.Engine.Http1;

using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Http1;

/// <summary>The reader remembers a body's last four bytes (a gzip body's ISIZE) however the bytes arrive and whether or not it keeps them.</summary>
public sealed class LastFourBytesTests
{
    private static readonly byte[] Gzipped = ContentCodings.Gzip(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 500).Select(i => $"line {i} "))));

    public static TheoryData<bool, bool, bool> Ways => new()
    {
        { false, false, true }, { true, false, true }, { false, true, true }, { true, true, true },
        { false, false, false }, { true, false, false }, { false, true, false }, { true, true, false },
    };

    [Theory]
    [MemberData(nameof(Ways))]
    public async Task The_gzip_trailer_is_read_from_the_wire(bool byteByByte, bool chunked, bool keep)
    {
        var body = Encoding.Latin1.GetString(Gzipped);
        var response = chunked
            ? $"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n{Gzipped.Length - 3:x}\r\n{body[..^3]}\r\n3\r\n{body[^3..]}\r\n0\r\n\r\n"
            : $"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: {Gzipped.Length}\r\n\r\n{body}";
        await using var server = Respond.With(response, byteByByte);
        await using var client = await Http1TestClient.ConnectAsync(server);

        var (_, read) = await client.ExchangeAsync(options: new BodyReadOptions(1 << 20, KeepContent: keep));

        Assert.Equal(Gzipped.Length, read.WireBytes);
        Assert.Equal(BinaryPrimitives.ReadUInt32LittleEndian(Gzipped.AsSpan(^4)), read.LastFourBytes);
        Assert.Equal(4390u, read.LastFourBytes); // ISIZE: the text's length, "line 0 " to "line 499 "
    }
}
