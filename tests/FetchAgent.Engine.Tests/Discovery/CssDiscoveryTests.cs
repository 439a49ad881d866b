using System.Text;
using FetchAgent.Engine.Discovery;
using FetchAgent.Engine.Discovery.Css;
using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Tests.Discovery;

public sealed class CssDiscoveryTests
{
    private static readonly Uri Sheet = new("https://static.example.test/css/site.css");

    private static IReadOnlyList<DiscoveredResource> Find(string css, string? contentType = "text/css") =>
        CssDiscovery.Discover(Encoding.UTF8.GetBytes(css), contentType, Sheet);

    [Fact]
    public void Import_in_string_and_url_forms_with_media()
    {
        var found = Find("""
            @charset "utf-8";
            @import "base.css";
            @import url(layout.css) screen;
            @import url("print.css") print;
            @import url('layered.css') layer(x) supports(display: grid) (min-width: 800px);
            @import 'narrow.css' (max-width: 600px);
            body { color: red }
            @import "too-late.css";
            """);

        DiscoveryAssert.Equal(
        [
            "https://static.example.test/css/base.css Stylesheet render-blocking",
            "https://static.example.test/css/layout.css Stylesheet render-blocking",
            "https://static.example.test/css/print.css Stylesheet",
            "https://static.example.test/css/layered.css Stylesheet render-blocking",
            "https://static.example.test/css/narrow.css Stylesheet",
        ], found);
    }

    [Theory]
    [InlineData("""
        @charset "utf-8";
        @layer base, theme;
        @import "base.css";
        @import url(layout.css) screen;
        @import url("print.css") print;
        @import url('layered.css') layer(x) supports(display: grid) (min-width: 800px);
        @\69mport 'escaped.css';
        body { color: red; background: url(late.png) }
        @import "too-late.css";
        @font-face { font-family: X; src: url(x.woff2) }
        """)]
    [InlineData("/* only rules */ .a { background: url(a.png) } @import 'after.css';")]
    [InlineData("@media screen { @import 'nested.css'; .b { background: url(b.png) } } @import 'after-media.css';")]
    [InlineData("@import 'unterminated.css'")]
    [InlineData("@import 'with-block.css' { color: red } @import 'next.css';")]
    public void The_imports_alone_are_the_stylesheets_a_full_scan_finds(string css)
    {
        var bytes = Encoding.UTF8.GetBytes(css);

        var imports = CssDiscovery.Imports(bytes, "text/css", Sheet);

        // What a sheet yields when it arrives, while the style pass decides on its images and fonts: the same imports,
        // with the same flags, as the full scan, and nothing else.
        Assert.Equal(
            CssDiscovery.Discover(bytes, "text/css", Sheet).Where(r => r.Kind == ResourceKind.Stylesheet),
            imports);
        Assert.All(imports, r => Assert.Equal(ResourceKind.Stylesheet, r.Kind));
    }

    [Fact]
    public void The_imports_of_a_sheet_come_before_its_first_rule()
    {
        var imports = CssDiscovery.Imports(Encoding.UTF8.GetBytes("""
            @charset "utf-8";
            @import "base.css";
            @\69mport 'escaped.css' print;
            .a { background: url(a.png) }
            @import "too-late.css";
            """), "text/css", Sheet);

        DiscoveryAssert.Equal(
        [
            "https://static.example.test/css/base.css Stylesheet render-blocking",
            "https://static.example.test/css/escaped.css Stylesheet",
        ], imports);
    }

    [Fact]
    public void Comments_and_strings_do_not_count_but_quoted_and_escaped_urls_do()
    {
        var found = Find("""
            /* url(a.png) */
            .x::before { content: "url(b.png)"; }
            .y { background: url( "c.png" ) }
            .z { background: url(d\).png) }
            .w { background: url(\65 .png) }
            .v { background: URL( spaced.png ) }
            .u { background: url("it\"s.png") }
            .t { mask: url(#filter); background: url(data:image/png;base64,AAAA) }
            .s { background: url(bad url.png) }
            .r { background: \75 rl(escaped-name.png) }
            .q { width: 10url(dimension.png) }
            """);

        DiscoveryAssert.Equal(
        [
            "https://static.example.test/css/c.png Image",
            "https://static.example.test/css/d).png Image",
            "https://static.example.test/css/e.png Image",
            "https://static.example.test/css/spaced.png Image",
            "https://static.example.test/css/it%22s.png Image",
            "https://static.example.test/css/escaped-name.png Image",
        ], found);
    }

    [Fact]
    public void Font_face_fetches_its_first_usable_source_and_font_extensions_are_fonts_and_relative_urls_use_the_stylesheet_url()
    {
        var found = Find("""
            @font-face {
              font-family: "Body";
              src: local("Body"), url(../fonts/body.eot) format("embedded-opentype"), url(../fonts/body.woff2) format("woff2"),
                   url("../fonts/body.woff") format("woff");
            }
            @font-face { font-family: "Other"; src: url("../fonts/other-no-ext"); }
            .icon { background: url(/img/sprite.svg); font-family: x; }
            .f { src: url(icons.ttf); }
            .hero { background-image: image-set("hero.avif" type("image/avif"), url(hero.jpg) 1x); }
            .hero2 { background-image: -webkit-image-set("hero-w.png" 1x); }
            .dup { background: url(/img/sprite.svg) }
            """);

        DiscoveryAssert.Equal(
        [
            "https://static.example.test/fonts/body.woff2 Font",
            "https://static.example.test/fonts/other-no-ext Font",
            "https://static.example.test/img/sprite.svg Image",
            "https://static.example.test/css/icons.ttf Font",
            "https://static.example.test/css/hero.avif Image",
            "https://static.example.test/css/hero.jpg Image",
            "https://static.example.test/css/hero-w.png Image",
        ], found);
    }

    [Fact]
    public void Namespace_urls_are_not_fetched()
    {
        DiscoveryAssert.Equal(
            ["https://static.example.test/css/real.png Image"],
            Find("@namespace svg url(http://www.w3.org/2000/svg); svg|a { background: url(real.png) }"));
    }

    [Fact]
    public void Charset_rule_decides_when_content_type_is_silent()
    {
        var bytes = Encoding.Latin1.GetBytes("@charset \"windows-1252\";\n.a { background: url(caf\u00e9.png) }");

        var found = CssDiscovery.Discover(bytes, "text/css", Sheet);

        DiscoveryAssert.Equal(["https://static.example.test/css/caf%C3%A9.png Image"], found);
    }

    [Fact]
    public void Content_type_charset_wins_over_the_charset_rule()
    {
        // CSS Syntax 3 §3.2: the protocol's charset comes before @charset; these bytes are UTF-8.
        var bytes = Encoding.UTF8.GetBytes("@charset \"windows-1252\";\n.a { background: url(caf\u00e9.png) }");

        var found = CssDiscovery.Discover(bytes, "text/css; charset=utf-8", Sheet);

        DiscoveryAssert.Equal(["https://static.example.test/css/caf%C3%A9.png Image"], found);
    }

    [Fact]
    public void A_byte_order_mark_wins_over_everything()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(".a { background: url(\u00fc.png) }")).ToArray();

        var found = CssDiscovery.Discover(bytes, "text/css; charset=windows-1252", Sheet);

        DiscoveryAssert.Equal(["https://static.example.test/css/%C3%BC.png Image"], found);
    }

    [Fact]
    public void Text_overload_for_inline_css_resolves_against_the_given_base()
    {
        var found = CssDiscovery.Discover("div { background: url(x.gif) } @import 'y.css';", new Uri("https://example.test/page/"));

        DiscoveryAssert.Equal(["https://example.test/page/x.gif Image"], found); // @import after a rule is ignored
    }
}
