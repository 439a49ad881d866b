using System.Text;
using FetchAgent.Engine.Discovery.Css;
using FetchAgent.Engine.Discovery.Html;

namespace FetchAgent.Engine.Tests.Discovery;

/// <summary>
/// Issue 16, items 1 to 3: a browser fetches a CSS image only when its rule's selector matches an element that gets a
/// style, and an <c>@font-face</c> face only when text of the page is drawn with it (family, weight and style matched
/// as CSS Fonts 4 §5.2 does, <c>unicode-range</c> covering a character of the text); of two <c>src</c>, the last.
/// </summary>
public sealed class CssStylePassTests
{
    private static readonly Uri Page = new("https://example.test/");

    /// <summary>What the style pass requests for a document, given the linked sheets by path, as "path Kind".</summary>
    private static List<string> Pass(string html, params (string Path, string Css)[] linked)
    {
        HtmlDiscovery.Discover(Encoding.UTF8.GetBytes(html), "text/html", Page, out _, out var styled);
        var sheets = linked.ToDictionary(s => new Uri(Page, s.Path).AbsoluteUri, s => CssOutlineReader.Read(s.Css, new Uri(Page, s.Path)));
        var found = CssStylePass.Run(styled, CssStylePass.Sheets(styled, u => sheets.GetValueOrDefault(u.AbsoluteUri)));
        return found.Select(r => r.Resource.Url.AbsolutePath.TrimStart('/') + " " + r.Resource.Kind).ToList();
    }

    private static List<string> Styled(string css, string body) => Pass($"<style>{css}</style><body>{body}");

    [Fact]
    public void A_background_is_requested_only_when_its_rule_matches_an_element()
    {
        var found = Pass(
            "<link rel=stylesheet href=/s.css><div class='box used'><span id=x>t</span></div>",
            ("/s.css", ".used { background: url(used.png) } .admonition { background: url(unused.png) } div > #x { background-image: url(child.png) } p#x { background: url(p.png) }"));

        Assert.Equal(["used.png Image", "child.png Image"], found);
    }

    [Fact]
    public void State_pseudo_classes_match_nothing_but_before_and_after_count_for_their_element()
    {
        var found = Styled(
            "a:hover { background: url(hover.png) } a:focus-visible { background: url(focus.png) } a:visited { background: url(visited.png) }" +
            " a::before { background: url(before.png) } a:after { background: url(after.png) } p::before { background: url(p-before.png) }" +
            " a::selection { background: url(selection.png) } a:first-child { background: url(first.png) }",
            "<a href=/>link</a>");

        Assert.Equal(["before.png Image", "after.png Image", "first.png Image"], found);
    }

    [Fact]
    public void Inside_a_display_none_subtree_nothing_is_styled_but_the_hidden_element_itself_is()
    {
        var found = Styled(
            ".menu { display: none; background: url(menu.png) } .menu li { background: url(item.png) } [hidden] p { background: url(h.png) }",
            "<ul class=menu><li>x</li></ul><div hidden><p>y</p></div>");

        Assert.Equal(["menu.png Image"], found);
    }

    [Fact]
    public void Rules_in_media_that_do_not_match_the_screen_are_left_out()
    {
        var found = Styled(
            "@media print { body { background: url(print.png) } } @media screen and (min-width: 1px) { body { background: url(screen.png) } }" +
            " @supports (display: grid) { body { border-image: url(supports.png) } }",
            "<p>x</p>");

        Assert.Equal(["screen.png Image", "supports.png Image"], found);
    }

    [Fact]
    public void A_face_is_requested_only_for_a_family_that_text_uses()
    {
        var found = Styled(
            "@font-face { font-family: Used; src: url(used.woff2) format('woff2') }" +
            "@font-face { font-family: Unused; src: url(unused.woff2) format('woff2') }" +
            "@font-face { font-family: Hidden; src: url(hidden.woff2) format('woff2') }" +
            "@font-face { font-family: Empty; src: url(empty.woff2) format('woff2') }" +
            "p { font-family: 'Used', serif } .nav { display: none; font-family: Hidden } .empty { font-family: Empty } .x { font-family: Unused }",
            "<p>text</p><div class=nav>menu</div><div class=empty>   </div>");

        Assert.Equal(["used.woff2 Font"], found);
    }

    [Fact]
    public void Weight_and_style_pick_the_nearest_face_as_CSS_Fonts_5_2_does()
    {
        const string Faces =
            "@font-face { font-family: F; font-weight: 300; src: url(w300.woff2) }" +
            "@font-face { font-family: F; font-weight: 400; src: url(w400.woff2) }" +
            "@font-face { font-family: F; font-weight: 700; src: url(w700.woff2) }" +
            "@font-face { font-family: F; font-weight: 400; font-style: italic; src: url(i400.woff2) }" +
            "body { font-family: F }";

        Assert.Equal(["w700.woff2 Font"], Styled(Faces, "<b>bold</b>"));
        Assert.Equal(["i400.woff2 Font"], Styled(Faces, "<em>em</em>"));
        // 600: above 500, heavier weights first.
        Assert.Equal(["w700.woff2 Font"], Styled(Faces + " p { font-weight: 600 }", "<p>x</p>"));
        // 200: below 400, lighter first, then heavier: 300 is the only heavier one nearby.
        Assert.Equal(["w300.woff2 Font"], Styled(Faces + " p { font-weight: 200 }", "<p>x</p>"));
        // The shorthand sets weight and style too; bold italic has an italic face (400) only.
        Assert.Equal(["i400.woff2 Font"], Styled(Faces + " p { font: italic bold 12px/1.5 F, serif }", "<p>x</p>"));
    }

    [Fact]
    public void Weight_450_with_faces_300_and_700_takes_the_lighter_face()
    {
        // §5.2: desired 400 to 500: heavier faces up to 500 (none), then lighter faces (300), before heavier ones.
        var found = Styled(
            "@font-face { font-family: F; font-weight: 300; src: url(w300.woff2) } @font-face { font-family: F; font-weight: 700; src: url(w700.woff2) }" +
            "p { font-family: F; font-weight: 450 }",
            "<p>x</p>");

        Assert.Equal(["w300.woff2 Font"], found);
    }

    [Fact]
    public void Unicode_range_is_checked_against_the_characters_of_the_text()
    {
        const string Faces =
            "@font-face { font-family: F; src: url(latin.woff2); unicode-range: U+0000-00FF, U+2013 }" +
            "@font-face { font-family: F; src: url(cyrillic.woff2); unicode-range: U+0400-045F }" +
            "@font-face { font-family: F; src: url(greek.woff2); unicode-range: U+037?, U+0380-03FF }" +
            "body { font-family: F }";

        Assert.Equal(["latin.woff2 Font"], Styled(Faces, "<p>Hello – world</p>"));
        Assert.Equal(["cyrillic.woff2 Font"], Styled(Faces, "<p>Привет</p>"));
        Assert.Equal(["latin.woff2 Font", "greek.woff2 Font"], Styled(Faces, "<p>a ͵</p>"));
    }

    [Fact]
    public void The_family_list_is_tried_in_order_until_a_face_or_a_generic_family_covers_the_character()
    {
        const string Faces =
            "@font-face { font-family: A; src: url(a.woff2); unicode-range: U+0041 }" +
            "@font-face { font-family: B; src: url(b.woff2) }";

        // "Not Installed" is no web font: the next family is tried; A covers only "A", B the rest.
        Assert.Equal(["a.woff2 Font", "b.woff2 Font"], Styled(Faces + "p { font-family: 'Not Installed', A, B }", "<p>AB</p>"));
        Assert.Equal(["a.woff2 Font"], Styled(Faces + "p { font-family: A, B }", "<p>A</p>"));
        Assert.Equal([], Styled(Faces + "p { font-family: sans-serif, B }", "<p>AB</p>"));
    }

    [Fact]
    public void An_icon_font_is_requested_for_the_content_of_a_before_pseudo_element()
    {
        const string Css =
            "@font-face { font-family: 'FontAwesome'; src: url(fa.eot?v=4.7.0); src: url(fa.eot?#iefix) format('embedded-opentype'), url(fa.woff2) format('woff2'), url(fa.ttf) format('truetype') }" +
            ".fa { display: inline-block; font: normal normal normal 14px/1 FontAwesome } .fa-home::before { content: \"\\f015\" }";

        Assert.Equal(["fa.woff2 Font"], Styled(Css, "<i class='fa fa-home'></i>"));
        Assert.Equal([], Styled(Css, "<i class='fa'></i>")); // no content, no text: nothing drawn with it
    }

    [Fact]
    public void Custom_properties_carry_the_family_down_the_tree()
    {
        var found = Styled(
            "@font-face { font-family: Lato; src: url(lato.woff2) } :root { --font: Lato, sans-serif } body { font-family: var(--font) }" +
            "@font-face { font-family: Mono; src: url(mono.woff2) } code { font-family: var(--missing, Mono) }",
            "<p>text <code>x</code></p>");

        Assert.Equal(["lato.woff2 Font", "mono.woff2 Font"], found);
    }

    [Fact]
    public void Imports_come_before_the_sheet_that_imports_them_and_later_rules_win()
    {
        var found = Pass(
            "<link rel=stylesheet href=/main.css><p class=t>text</p>",
            ("/main.css", "@import 'base.css'; .t { font-family: Main }"),
            ("/base.css", "@font-face { font-family: Base; src: url(base.woff2) } @font-face { font-family: Main; src: url(main.woff2) } p { font-family: Base }"));

        Assert.Equal(["main.woff2 Font"], found);
    }

    [Fact]
    public void Specificity_and_important_decide_the_family_not_only_order()
    {
        const string Faces = "@font-face { font-family: Id; src: url(id.woff2) } @font-face { font-family: Late; src: url(late.woff2) } @font-face { font-family: Imp; src: url(imp.woff2) }";

        Assert.Equal(["id.woff2 Font"], Styled(Faces + "#x { font-family: Id } p { font-family: Late }", "<p id=x>t</p>"));
        Assert.Equal(["imp.woff2 Font"], Styled(Faces + "p { font-family: Imp !important } #x { font-family: Id }", "<p id=x style='font-family: Late'>t</p>"));
        Assert.Equal(["late.woff2 Font"], Styled(Faces + "#x { font-family: Id }", "<p id=x style='font-family: Late'>t</p>"));
    }
}
