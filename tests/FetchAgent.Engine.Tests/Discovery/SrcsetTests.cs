using FetchAgent.Engine.Discovery.Html;


namespace FetchAgent.Engine.Tests.Discovery;

public sealed class SrcsetTests
{
    [Fact]
    public void Parser_keeps_commas_inside_urls_and_reads_descriptors()
    {
        var parsed = SrcsetParser.Parse(" a,b.png 1x,c.png 2.5x , data:image/png;base64,AA== 3x, d.png 480w 300h,e.png");

        Assert.Equal(
            ["a,b.png  1", "c.png  2.5", "data:image/png;base64,AA==  3", "d.png 480 ", "e.png  "],
            parsed.Select(c => $"{c.Url} {c.Width} {c.Density}"));
    }

    [Fact]
    public void Parser_drops_invalid_candidates()
    {
        var parsed = SrcsetParser.Parse("a.png 1x 2x, b.png 100w 2x, c.png 0w, d.png 300h, e.png (junk) 1x, f.png -1x, g.png 1.5w, ok.png 2x");

        Assert.Equal(["ok.png"], parsed.Select(c => c.Url));
    }

    [Fact]
    public void Trailing_comma_url_has_no_descriptors()
    {
        Assert.Equal(["a.png", "b.png"], SrcsetParser.Parse("a.png,,, b.png").Select(c => c.Url));
    }

    [Theory]
    [InlineData("a.png 0.5x, b.png 1.5x, c.png 2x", null, null, "b.png")]
    [InlineData("a.png 1x, b.png 2x", null, null, "a.png")]
    [InlineData("a.png 0.5x, b.png 0.75x", null, null, "b.png")]
    [InlineData("b.png 2x", null, "src.png", "src.png")] // src is the implicit 1x candidate
    [InlineData("b.png 1x", null, "src.png", "b.png")]
    [InlineData("s.jpg 480w, m.jpg 1024w, l.jpg 1600w", null, null, "l.jpg")] // no sizes: 100vw = 1366px
    [InlineData("s.jpg 480w, m.jpg 1024w, l.jpg 1600w", "50vw", null, "m.jpg")] // 683px
    [InlineData("s.jpg 480w, m.jpg 1024w, l.jpg 1600w", "(max-width: 600px) 480px, 800px", null, "m.jpg")]
    [InlineData("s.jpg 480w, m.jpg 1024w, l.jpg 1600w", "(min-width: 1200px) 400px, 100vw", "src.jpg", "s.jpg")]
    [InlineData("s.jpg 480w, m.jpg 1024w", "2000px", null, "m.jpg")] // nothing wide enough: the largest
    [InlineData("s.jpg 480w, m.jpg 1024w, l.jpg 1600w", "calc(100vw - 20px), 30em", null, "s.jpg")] // calc skipped; 30em = 480px
    public void Selection_at_dpr_1_on_a_1366px_viewport(string srcset, string? sizes, string? src, string expected)
    {
        Assert.Equal(expected, SrcsetSelection.Select(srcset, sizes, src));
    }

    [Fact]
    public void Empty_or_unparseable_srcset_falls_back_to_src()
    {
        Assert.Equal("src.png", SrcsetSelection.Select("bad.png 1q", null, "src.png"));
        Assert.Null(SrcsetSelection.Select("", null, null));
    }
}
