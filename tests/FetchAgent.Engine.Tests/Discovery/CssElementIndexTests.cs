using System.Text;
using FetchAgent.Engine.Discovery.Css;
using FetchAgent.Engine.Discovery.Html;

namespace FetchAgent.Engine.Tests.Discovery;

/// <summary>
/// The style pass tries a selector only on the elements its subject's id, class or tag allows (rule hashing, as a
/// browser does): the elements it matches must be exactly those a match against every element finds.
/// </summary>
public sealed class CssElementIndexTests
{
    private const string Html = """
        <!doctype html><html><body>
        <div id="Main" class="api Doc"><p class="note first">a <span class="x">b</span></p><p>c</p></div>
        <ul><li class="item">1</li><li class="item ITEM">2</li></ul>
        <svg><rect class="shape"/></svg><a href="/x.pdf">d</a><input type="text" class="field">
        </body></html>
        """;

    [Theory]
    [InlineData("#Main", '#', "Main")]
    [InlineData("div#Main.api > p", 't', "p")]
    [InlineData(".api .note span.x", '.', "x")]
    [InlineData("ul li.item + li", 't', "li")]
    [InlineData("p:not(.note)", 't', "p")]
    [InlineData("li:nth-child(2n+1).item", '.', "item")]
    [InlineData("*.Doc", '.', "Doc")]
    [InlineData("svg rect", 't', "rect")]
    [InlineData("a[href$='.pdf']", null, null)]
    [InlineData(":is(.api, .item)", null, null)]
    [InlineData("div > *", null, null)]
    [InlineData("span.x::before", '.', "x")]
    public void A_selector_matches_the_same_elements_through_its_key(string selector, char? kind, string? name)
    {
        HtmlDiscovery.Discover(Encoding.UTF8.GetBytes(Html), "text/html", new Uri("https://example.test/"), out _, out var styled);
        var elements = styled!.Document.All.ToList();
        var index = new CssElementIndex(elements);
        var match = Assert.Single(CssSelectorMatch.List(selector));

        Assert.Equal(kind is null ? null : (kind.Value, name!), match.Key);
        var everywhere = elements.Where(match.Matches).ToList();
        Assert.NotEmpty(everywhere);
        Assert.Equal(everywhere, index.Candidates(match).Where(match.Matches));
    }

    [Fact]
    public void Keys_are_compared_without_case_so_the_selector_engine_decides()
    {
        HtmlDiscovery.Discover(Encoding.UTF8.GetBytes(Html), "text/html", new Uri("https://example.test/"), out _, out var styled);
        var index = new CssElementIndex(styled!.Document.All.ToList());

        Assert.Equal(2, index.Candidates(Assert.Single(CssSelectorMatch.List(".item"))).Count);
        Assert.Single(index.Candidates(Assert.Single(CssSelectorMatch.List(".doc"))));
        Assert.Equal(2, index.Candidates(Assert.Single(CssSelectorMatch.List("P"))).Count);
        Assert.Empty(index.Candidates(Assert.Single(CssSelectorMatch.List(".absent"))));
    }
}
