using FetchAgent.Cli;

namespace FetchAgent.Tests.Cli;

public sealed class DisplayFormatTests
{
    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(999, "999 B")]
    [InlineData(1000, "1.0 kB")]
    [InlineData(1536, "1.5 kB")]
    [InlineData(30_000, "30 kB")]
    [InlineData(999_499, "999 kB")]
    [InlineData(999_500, "1.0 MB")]
    [InlineData(2_500_000, "2.5 MB")]
    public void Bytes_read_as_b_kb_mb_in_thousands_as_DevTools_and_the_web_UI(long bytes, string expected) => Assert.Equal(expected, DisplayFormat.Bytes(bytes));

    [Theory]
    [InlineData(812.4, "812")]
    [InlineData(1530.5, "1531")]
    [InlineData(3.45, "3.5")]
    public void Milliseconds_are_whole_above_ten(double ms, string expected) => Assert.Equal(expected, DisplayFormat.Ms(ms));

    [Fact]
    public void Long_url_keeps_its_end_around_a_middle_ellipsis()
    {
        var page = new Uri("http://example.test/");
        var shown = DisplayFormat.Url("http://example.test/images/a/very/long/path/hero.jpg", page, 20);

        Assert.Equal(20, shown.Length);
        Assert.StartsWith("/ima", shown, StringComparison.Ordinal);
        Assert.EndsWith("hero.jpg", shown, StringComparison.Ordinal);
        Assert.Contains('…', shown);
    }

    [Fact]
    public void Other_origins_keep_their_host() =>
        Assert.Equal("cdn.example.test/app.js", DisplayFormat.Url("http://cdn.example.test/app.js", new Uri("http://example.test/"), 40));
}
