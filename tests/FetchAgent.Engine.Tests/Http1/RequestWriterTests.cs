using System.Text;
using FetchAgent.Engine.Http1;

namespace FetchAgent.Engine.Tests.Http1;

public sealed class RequestWriterTests
{
    private static string Request(string method, string url, bool close = false)
    {
        var uri = new Uri(url);
        return Encoding.ASCII.GetString(RequestWriter.Format(method, uri, RequestWriter.Headers(uri, "text/html", close)));
    }

    private static string Expected(string requestLine, string host, string connection = "keep-alive") =>
        $"{requestLine}\r\nHost: {host}\r\nUser-Agent: FetchAgent/0.1 (+https://github.com/fetchagent)\r\nAccept: text/html\r\n"
        + $"Accept-Encoding: gzip, deflate, br\r\nConnection: {connection}\r\n\r\n";

    [Fact]
    public void PathAndQueryWithoutFragment() =>
        Assert.Equal(Expected("GET /a/b.html?x=1&y=%20z HTTP/1.1", "example.test"), Request("GET", "http://example.test/a/b.html?x=1&y=%20z#top"));

    [Fact]
    public void EmptyPathIsSlash() =>
        Assert.Equal(Expected("HEAD / HTTP/1.1", "example.test", "close"), Request("HEAD", "http://example.test", close: true));

    [Fact]
    public void IdnHostIsPunycode() =>
        Assert.Equal(Expected("GET / HTTP/1.1", "xn--bcher-kva.example"), Request("GET", "http://bücher.example/"));

    [Fact]
    public void Ipv6LiteralWithPort() =>
        Assert.Equal(Expected("GET /x HTTP/1.1", "[::1]:8080"), Request("GET", "http://[::1]:8080/x"));

    [Fact]
    public void Ipv6LiteralDropsTheZone() =>
        Assert.Equal("[fe80::1]", RequestWriter.HostFieldValue(new Uri("http://[fe80::1%25eth0]/")));

    [Theory]
    [InlineData("http://example.test:80/", "example.test")]
    [InlineData("https://example.test:443/", "example.test")]
    [InlineData("https://example.test:80/", "example.test:80")]
    [InlineData("http://127.0.0.1:5080/", "127.0.0.1:5080")]
    public void DefaultPortOmitted(string url, string host) =>
        Assert.Equal(host, RequestWriter.HostFieldValue(new Uri(url)));

    [Fact]
    public void FieldOrder() =>
        Assert.Equal(["Host", "User-Agent", "Accept", "Accept-Encoding", "Connection"],
            RequestWriter.Headers(new Uri("http://a.test/"), "*/*", false).Select(f => f.Name));

    [Fact]
    public void LineBreakInAValueIsRefused() =>
        Assert.Throws<ArgumentException>(() => RequestWriter.Format("GET", new Uri("http://a.test/"), [new HeaderField("Accept", "a\r\nX-Evil: 1")]));
}
