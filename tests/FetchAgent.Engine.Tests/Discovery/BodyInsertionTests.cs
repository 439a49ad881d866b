using System.Text;
using FetchAgent.Engine.Discovery.Html;

namespace FetchAgent.Engine.Tests.Discovery;

/// <summary>
/// Issue 16, tight mode: the preload scanner says where the parser inserts the body and what it must see end first
/// (parser-blocking scripts before the body, and the render-blocking sheets before a script there).
/// </summary>
public sealed class BodyInsertionTests
{
    private static readonly Uri Page = new("https://example.test/p/index.html");

    private static HtmlPreloadScanner Scan(string html)
    {
        var scanner = new HtmlPreloadScanner(Page, Encoding.UTF8);
        scanner.Feed(Encoding.UTF8.GetBytes(html));
        return scanner;
    }

    private static string[] Names(HtmlPreloadScanner scanner) => [.. scanner.BodyWaitsFor.Select(u => u.AbsolutePath.Split('/')[^1])];

    [Fact]
    public void Sheets_before_a_script_and_the_parser_blocking_scripts_before_the_body_hold_it()
    {
        var scanner = Scan("""
            <!doctype html><html><head><link rel=stylesheet href=a.css><script src=b.js></script>
            <link rel=stylesheet href=c.css><link rel=stylesheet href=print.css media=print><script>var x = 1;</script>
            <link rel=stylesheet href=d.css><script async src=e.js></script><script defer src=f.js></script>
            <script type=module src=g.js></script><script type=module>import 'h';</script><script type=text/template>t</script>
            </head><body><script src=late.js></script><link rel=stylesheet href=late.css><script>1</script>
            """);

        Assert.True(scanner.BodyStarted);
        // d.css precedes no script that blocks (async, defer, module and data blocks do not wait for sheets);
        // print.css does not block scripts; late.js and late.css come after the body.
        Assert.Equal(["a.css", "b.js", "c.css"], Names(scanner));
    }

    [Fact]
    public void A_head_with_no_script_holds_nothing_and_the_body_starts_at_the_first_body_element()
    {
        var scanner = new HtmlPreloadScanner(Page, Encoding.UTF8);
        scanner.Feed("<html><head><link rel=stylesheet href=a.css><title>t</title></head>"u8);
        Assert.False(scanner.BodyStarted);
        scanner.Feed("\n<div"u8);
        Assert.False(scanner.BodyStarted); // the tag is not read yet
        scanner.Feed("><img src=i.png>"u8);
        Assert.True(scanner.BodyStarted);
        Assert.Empty(scanner.BodyWaitsFor);
    }

    [Theory]
    [InlineData("<script src=a.js></script>text", true)]
    [InlineData("<script src=a.js></script>  \n", false)]
    [InlineData("<script src=a.js></script><template><p>x</p></template>", false)]
    [InlineData("<script src=a.js></script></head><body>", true)]
    public void Text_or_a_body_tag_starts_the_body_white_space_and_template_contents_do_not(string html, bool started)
    {
        var scanner = Scan(html);
        Assert.Equal(started, scanner.BodyStarted);
        Assert.Equal(["a.js"], Names(scanner));
    }
}

/// <summary>Chromium's BoostImagePriority, as discovery marks it: an <c>&lt;img&gt;</c> not small in its markup may be boosted.</summary>
public sealed class ImageBoostTests
{
    private static readonly Uri Page = new("https://example.test/p/index.html");

    [Theory]
    [InlineData("<img src=a.png>", true)]
    [InlineData("<img src=a.png width=100 height=100>", false)]
    [InlineData("<img src=a.png width=101 height=100>", true)]
    [InlineData("<img src=a.png width=0>", false)]
    [InlineData("<img src=a.png width=20>", true)]
    [InlineData("<img src=a.png width=' 50px' height=50>", false)]
    [InlineData("<img src=a.png width=auto height=50>", true)]
    [InlineData("<picture><source srcset=a.png><img src=b.png width=10 height=10></picture>", false)]
    [InlineData("<input type=image src=a.png>", false)]
    public void An_img_is_boostable_unless_its_markup_says_it_is_small(string html, bool boostable)
    {
        var bytes = Encoding.UTF8.GetBytes("<!doctype html><body>" + html);
        var parsed = HtmlDiscovery.Discover(bytes, "text/html", Page).Single(r => r.Url.AbsolutePath.EndsWith("a.png", StringComparison.Ordinal));
        var scanner = new HtmlPreloadScanner(Page, Encoding.UTF8);
        scanner.Feed(bytes);
        var scanned = scanner.Found.Single(r => r.Url.AbsolutePath.EndsWith("a.png", StringComparison.Ordinal));

        Assert.Equal((boostable, boostable), (parsed.Boostable, scanned.Boostable));
    }
}
