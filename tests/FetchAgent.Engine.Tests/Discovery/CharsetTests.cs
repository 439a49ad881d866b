using System.Text;
using FetchAgent.Engine.Discovery.Html;

namespace FetchAgent.Engine.Tests.Discovery;

public sealed class CharsetTests
{
    private static readonly Uri Page = new("https://example.test/");

    static CharsetTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static byte[] Bytes(string text, int codePage) => Encoding.GetEncoding(codePage).GetBytes(text);

    [Fact]
    public void Windows_1252_from_content_type()
    {
        var found = HtmlDiscovery.Discover(Bytes("<img src=\"caf\u00e9.png\">", 1252), "text/html; charset=windows-1252", Page);

        Assert.Equal("https://example.test/caf%C3%A9.png", Assert.Single(found).Url.AbsoluteUri);
    }

    [Fact]
    public void Shift_jis_from_meta_charset_restarts_the_decode()
    {
        var found = HtmlDiscovery.Discover(Bytes("<meta charset=\"shift_jis\"><img src=\"\u65e5\u672c.png\">", 932), "text/html", Page);

        Assert.Equal("https://example.test/%E6%97%A5%E6%9C%AC.png", Assert.Single(found).Url.AbsoluteUri);
    }

    [Fact]
    public void Shift_jis_from_meta_http_equiv()
    {
        var html = "<meta http-equiv=\"Content-Type\" content=\"text/html; charset='Shift_JIS'\"><img src=\"\u65e5.png\">";

        var found = HtmlDiscovery.Discover(Bytes(html, 932), null, Page);

        Assert.Equal("https://example.test/%E6%97%A5.png", Assert.Single(found).Url.AbsoluteUri);
    }

    [Fact]
    public void Shift_jis_from_content_type()
    {
        var found = HtmlDiscovery.Discover(Bytes("<img src=\"\u65e5\u672c.png\">", 932), "text/html;charset=\"Shift_JIS\"", Page);

        Assert.Equal("https://example.test/%E6%97%A5%E6%9C%AC.png", Assert.Single(found).Url.AbsoluteUri);
    }

    [Fact]
    public void Content_type_wins_over_meta()
    {
        var bytes = Encoding.UTF8.GetBytes("<meta charset=\"windows-1252\"><img src=\"caf\u00e9.png\">");

        var found = HtmlDiscovery.Discover(bytes, "text/html; charset=utf-8", Page);

        Assert.Equal("https://example.test/caf%C3%A9.png", Assert.Single(found).Url.AbsoluteUri);
    }

    [Fact]
    public void Latin1_label_means_windows_1252()
    {
        // 0x80 is the euro sign in windows-1252 but a C1 control in real ISO-8859-1 (Encoding §4.2 folds the labels).
        var bytes = Encoding.ASCII.GetBytes("<img src=\"x").Concat(new byte[] { 0x80 }).Concat(Encoding.ASCII.GetBytes(".png\">")).ToArray();

        var found = HtmlDiscovery.Discover(bytes, "text/html; charset=iso-8859-1", Page);

        Assert.Equal("https://example.test/x%E2%82%AC.png", Assert.Single(found).Url.AbsoluteUri);
    }

    [Fact]
    public void The_query_is_encoded_in_the_document_encoding_and_the_path_in_utf8()
    {
        var found = HtmlDiscovery.Discover(Bytes("<img src=\"\u00e9.png?q=\u00e9\">", 1252), "text/html; charset=windows-1252", Page);

        Assert.Equal("https://example.test/%C3%A9.png?q=%E9", Assert.Single(found).Url.AbsoluteUri);
    }

    [Fact]
    public void Utf8_bom_wins_over_content_type()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("<img src=\"\u00fc.png\">")).ToArray();

        var found = HtmlDiscovery.Discover(bytes, "text/html; charset=windows-1252", Page);

        Assert.Equal("https://example.test/%C3%BC.png", Assert.Single(found).Url.AbsoluteUri);
    }
}
