using System.Globalization;
using System.Text;
using FetchAgent.Engine.Discovery.Css;

namespace FetchAgent.Engine.Tests.Discovery;

/// <summary>
/// The outline the style pass reads from every stylesheet (<see cref="CssOutlineReader"/>): of a style rule it keeps
/// the font cascade's declarations and the URLs its values name, nothing else, and reading a sheet of ordinary rules
/// allocates for what it keeps, not per token (a string per token made 1.7 MB for the ten sheets of the bench's page).
/// </summary>
public sealed class CssOutlineTests
{
    private static readonly Uri Sheet = new("https://static.example.test/css/site.css");

    [Fact]
    public void A_style_rule_keeps_only_the_declarations_the_font_cascade_reads()
    {
        var outline = CssOutlineReader.Read(
            """
            .plain { margin: 0; color: red }
            h1.title { margin: 4px; FONT-Family: "Lato", serif; font-weight: 700 !important; --accent: blue; padding: 0 }
            .gone { display: none; }
            .content::before { content: "x"; color: red }
            """, Sheet);

        Assert.Equal(["h1.title", ".gone", ".content::before"], outline.Rules.Select(r => r.Selector));
        Assert.Equal(
            [("font-family", "\"Lato\", serif", false), ("font-weight", "700", true), ("--accent", "blue", false)],
            outline.Rules[0].Declarations.Select(d => (d.Name, d.Value, d.Important)));
        Assert.Equal([("display", "none")], outline.Rules[1].Declarations.Select(d => (d.Name, d.Value)));
        Assert.Equal([("content", "\"x\"")], outline.Rules[2].Declarations.Select(d => (d.Name, d.Value)));
        Assert.All(outline.Rules, r => Assert.Empty(r.References));
    }

    [Fact]
    public void A_rule_that_names_a_url_is_kept_for_it_in_every_form_a_url_takes()
    {
        var outline = CssOutlineReader.Read(
            """
            .a { background: url(img/a.png) no-repeat; margin: 0 }
            .b { background-image: url("img/b.png") }
            .c { background-image: image-set("img/c.png" 1x, "img/c2.png" 2x) }
            .d { color: rgb(1 2 3); width: calc(100% - 2px) }
            """, Sheet);

        Assert.Equal([".a", ".b", ".c"], outline.Rules.Select(r => r.Selector));
        Assert.Equal("https://static.example.test/css/img/a.png", Assert.Single(outline.Rules[0].References).Url.AbsoluteUri);
        Assert.Equal("https://static.example.test/css/img/b.png", Assert.Single(outline.Rules[1].References).Url.AbsoluteUri);
        Assert.Equal("https://static.example.test/css/img/c.png", outline.Rules[2].References[0].Url.AbsoluteUri);
        Assert.All(outline.Rules, r => Assert.Empty(r.Declarations));
    }

    [Fact]
    public void A_style_attribute_keeps_every_declaration()
    {
        var declarations = CssOutlineReader.ReadDeclarations("margin: 0; font-family: Lato; COLOR: red !important");

        Assert.Equal([("margin", "0", false), ("font-family", "Lato", false), ("color", "red", true)],
            declarations.Select(d => (d.Name, d.Value, d.Important)));
    }

    [Fact]
    public void Imports_media_and_font_faces_are_read_as_before()
    {
        var outline = CssOutlineReader.Read(
            """
            @import url("base.css") screen;
            @import 'print.css' print;
            @media print { .p { font-family: Serif; background: url(p.png) } }
            @media screen and (min-width: 100px) { .s { font-family: Sans } }
            @font-face { font-family: "Lato"; src: url(lato.eot); src: url(lato.woff2) format("woff2"); font-weight: 400 }
            """, Sheet);

        Assert.Equal([("https://static.example.test/css/base.css", true), ("https://static.example.test/css/print.css", false)],
            outline.Imports.Select(i => (i.Url.AbsoluteUri, i.AppliesToScreen)));
        Assert.Equal([".s"], outline.Rules.Select(r => r.Selector));
        var face = Assert.Single(outline.FontFaces);
        Assert.Equal("lato", face.Family);
        Assert.Equal("https://static.example.test/css/lato.woff2", face.Source!.Url.AbsoluteUri);
    }

    [Fact]
    public void A_sheet_of_ordinary_rules_allocates_for_what_it_keeps_not_per_token()
    {
        // 1,000 rules (about 50 KB) that the style pass has no use for, and two it keeps.
        var css = new StringBuilder(".hero { background-image: url(img/bg.png); height: 64px }\n");
        for (var j = 0; j < 1000; j++)
            css.Append(CultureInfo.InvariantCulture, $".c-{j} > a:hover {{ margin: {j}px 0 1.5em; color: #{j * 7919 % 0x1000000:x6}; padding: 0 }}\n");
        css.Append("body { font-family: Lato, sans-serif }\n");
        var text = css.ToString();

        Assert.Equal(2, CssOutlineReader.Read(text, Sheet).Rules.Count); // warm-up: JIT, the token pool
        var fewest = long.MaxValue;
        for (var run = 0; run < 3; run++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var outline = CssOutlineReader.Read(text, Sheet);
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.Equal(2, outline.Rules.Count);
        }

        // What it keeps is two rules, a URL and a declaration: a few KB. A string per token was over 1 MB here.
        Assert.True(fewest < 16 * 1024, $"reading {text.Length} chars allocated {fewest} bytes");
    }
}
