using FetchAgent.Engine.Discovery;
using FetchAgent.Engine.Http1;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Http1;

/// <summary>
/// The request target as Chromium writes it. Each expectation is what Debian's chromium (headless) sent to a logging
/// server for the same reference in an <c>&lt;img src&gt;</c>: in the path <c>| ^ { } `</c>, space and DEL escaped,
/// <c>' [ ] ! $ &amp; ( ) * + , ; = : @ ~</c> raw, <c>\</c> a slash; in the query <c>| ^ { } `</c> raw and <c>'</c>
/// escaped; a <c>%</c> that starts no escape, and escapes already written (in their case), kept as they are.
/// </summary>
public sealed class RequestTargetTests
{
    private static readonly Uri Base = new("http://example.test:81/dir/page.html");

    [Theory]
    [InlineData("/p|a^b{c}d`e'f[g]h!$&()*+,;=:@~i\\j k\x7fl?q=|^{}`'", "/p%7Ca%5Eb%7Bc%7Dd%60e'f[g]h!$&()*+,;=:@~i/j%20k%7Fl?q=|^{}`%27")]
    [InlineData("/caf\u00e9/%7C%zz?%7c&\u00e9", "/caf%C3%A9/%7C%zz?%7c&%C3%A9")]
    [InlineData("a/./b/../c|d?x=|", "/dir/a/c%7Cd?x=|")]
    [InlineData("/a/%2e%2e/b/%2E/c", "/b/c")]
    [InlineData("?only=|query", "/dir/page.html?only=|query")]
    [InlineData("/x#fragment|", "/x")]
    [InlineData("/", "/")]
    public void Written_as_Chromium_writes_it(string reference, string target)
    {
        var url = ReferenceUrl.Resolve(reference, Base)!;

        Assert.Equal(target, RequestTarget.For(url));
    }

    [Fact]
    public void The_URL_as_given_by_the_user_is_written_the_same_way()
    {
        Assert.Equal("/a%7Cb?c=|d", RequestTarget.For(new Uri("http://example.test/a|b?c=|d")));
        Assert.Equal("/", RequestTarget.For(new Uri("http://example.test")));
        Assert.Equal("/?q", RequestTarget.For(new Uri("http://example.test?q")));
    }

    [Fact]
    public async Task A_page_reference_reaches_the_server_byte_for_byte_as_a_browser_sends_it()
    {
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Html("<!doctype html><img src=\"/i|{x}.png?a=|^{}`'&b=%zz\">"))
            .Add("/i%7C%7Bx%7D.png?a=|^{}`%27&b=%zz", SiteResource.Image(10));

        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options());

        Assert.Equal(["/", "/i%7C%7Bx%7D.png?a=|^{}`%27&b=%zz"], site.Requests.Select(r => r.Target));
        Assert.Equal(200, page.Objects[1].Status);
    }
}
