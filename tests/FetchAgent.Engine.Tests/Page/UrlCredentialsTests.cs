using System.Text.Json;
using FetchAgent.Engine.Http1;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.Engine.Tests.Http1;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Page;

/// <summary>Issue 9, item 5: credentials in the page's URL are used as a browser uses them, and never stored or shown.</summary>
public sealed class UrlCredentialsTests
{
    private const string User = "alice";
    private const string Password = "s3cr3t-Pa55word";

    [Fact]
    public async Task A_401_Basic_challenge_is_answered_once_with_the_URLs_credentials_as_an_object_of_its_own()
    {
        await using var origin = new BasicAuthOrigin(User, Password);

        var page = await new PageLoader().LoadAsync(new Uri(origin.UrlWith(User, Password)), Sites.Options(perHost: 1)).WaitAsync(TimeSpan.FromSeconds(30));

        // Nothing on the first request (as browsers), exactly RFC 7617's value on the retry, and pre-emptively after it.
        Assert.Equal([("/", null), ("/", origin.ExpectedAuthorization), ("/a.png", origin.ExpectedAuthorization)], origin.Requests);
        Assert.Equal("Basic YWxpY2U6czNjcjN0LVBhNTV3b3Jk", origin.ExpectedAuthorization);
        Assert.Equal(PageLoadStatus.Completed, page.Status);
        var redacted = $"http://alice:***@127.0.0.1:{origin.Port}/";
        Assert.Equal((redacted, redacted), (page.Url, page.FinalUrl));
        Assert.Equal(
            [
                (1, redacted, Initiator.Navigation, (int?)null, (int?)401),
                (2, redacted, Initiator.Auth, 1, 200),
                (3, redacted + "a.png", Initiator.Parser, 2, 200),
            ],
            page.Objects.Select(o => (o.Id, o.Url, o.Initiator, o.ParentId, o.Status)));
        Assert.All(page.Objects, o => Assert.Equal(ResourceKind.Document == o.Kind, o.Id < 3));
        Assert.DoesNotContain(page.Objects[0].RequestHeaders, h => h.Name == "Authorization");
        Assert.Equal("Basic ***", page.Objects[1].RequestHeaders.Single(h => h.Name == "Authorization").Value);
        Assert.Equal("Basic ***", page.Objects[2].RequestHeaders.Single(h => h.Name == "Authorization").Value);
        var json = JsonSerializer.Serialize(page, DocumentJson.Options);
        Assert.DoesNotContain(Password, json, StringComparison.Ordinal);
        Assert.DoesNotContain(origin.ExpectedAuthorization["Basic ".Length..], json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_credentials_are_tried_once_and_the_401_page_is_the_document()
    {
        await using var origin = new BasicAuthOrigin(User, "the right one", page: "<p>in");

        var page = await new PageLoader().LoadAsync(new Uri(origin.UrlWith(User, Password)), Sites.Options(perHost: 1)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, origin.Requests.Count(r => r.Target == "/"));
        Assert.Equal([null, "Basic YWxpY2U6czNjcjN0LVBhNTV3b3Jk"], origin.Requests.Where(r => r.Target == "/").Select(r => r.Authorization));
        Assert.Equal([(Initiator.Navigation, 401), (Initiator.Auth, 401)], page.Objects.Where(o => o.Kind == ResourceKind.Document).Select(o => (o.Initiator, o.Status!.Value)));
        // Credentials that were refused are not sent to anything else on the origin.
        Assert.Null(origin.Requests.Single(r => r.Target == "/trap.png").Authorization);
    }

    [Theory]
    [InlineData("Bearer realm=\"api, Basic\"")]
    [InlineData("Digest realm=\"x\", nonce=\"Basic\"")]
    public async Task A_challenge_that_does_not_offer_Basic_is_not_answered(string challenge)
    {
        await using var origin = new BasicAuthOrigin(User, Password, challenge);

        var page = await new PageLoader().LoadAsync(new Uri(origin.UrlWith(User, Password)), Sites.Options(perHost: 1)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([("/", null), ("/trap.png", null)], origin.Requests);
        Assert.Equal(401, page.Objects[0].Status);
    }

    [Fact]
    public async Task A_URL_without_a_password_answers_no_challenge()
    {
        await using var origin = new BasicAuthOrigin(User, "");

        var page = await new PageLoader().LoadAsync(new Uri($"http://alice@127.0.0.1:{origin.Port}/"), Sites.Options(perHost: 1)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([("/", null), ("/trap.png", null)], origin.Requests);
        Assert.Equal($"http://alice@127.0.0.1:{origin.Port}/", page.Url);
    }

    [Fact]
    public async Task Credentials_go_to_their_own_origin_only()
    {
        await using var other = new StaticOrigin().Add("/b.png", SiteResource.Image(10));
        await using var origin = new BasicAuthOrigin(User, Password, page: $"<img src=/a.png><img src=http://127.0.0.1:{other.Port}/b.png>");

        var page = await new PageLoader().LoadAsync(new Uri(origin.UrlWith(User, Password)), Sites.Options(perHost: 1)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.Null(Assert.Single(other.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task A_redirect_that_names_credentials_is_recorded_with_the_password_masked()
    {
        await using var site = new StaticOrigin().Add("/next", SiteResource.Html("<p>here"));
        site.Add("/", SiteResource.Redirect(302, $"http://bob:hunter2-{Password}@127.0.0.1:{site.Port}/next"));

        var page = await new PageLoader().LoadAsync(new Uri($"http://{User}:{Password}@127.0.0.1:{site.Port}/"), Sites.Options()).WaitAsync(TimeSpan.FromSeconds(30));

        var hop = page.Objects[0];
        Assert.Equal($"http://bob:***@127.0.0.1:{site.Port}/next", hop.RedirectUrl);
        Assert.Equal($"http://bob:***@127.0.0.1:{site.Port}/next", hop.ResponseHeaders.Single(h => h.Name == "Location").Value);
        Assert.Equal($"http://bob:***@127.0.0.1:{site.Port}/next", page.FinalUrl);
        Assert.DoesNotContain(Password, JsonSerializer.Serialize(page, DocumentJson.Options), StringComparison.Ordinal);
        // Neither URL's credentials were sent where nobody asked for them.
        Assert.All(site.Requests, r => Assert.Null(r.Header("Authorization")));
    }

    [Theory]
    [InlineData("http://u:p@h/", "http://u:***@h/")]
    [InlineData("http://u:@h/x", "http://u:***@h/x")]
    [InlineData("http://u@h/x", "http://u@h/x")]
    [InlineData("https://:p@h:8443/a?b=c@d#e", "https://:***@h:8443/a?b=c@d#e")]
    [InlineData("//u:p:q@h/", "//u:***@h/")]
    [InlineData("redirect: unsupported Location ftp://u:p@h/", "redirect: unsupported Location ftp://u:***@h/")]
    [InlineData("http://a:b@h/?next=http://c:d@i/", "http://a:***@h/?next=http://c:***@i/")]
    [InlineData("/relative/path", "/relative/path")]
    [InlineData("http://h/p@q:r", "http://h/p@q:r")]
    public void Redaction_masks_the_password_of_every_URL_authority_and_nothing_else(string text, string expected) =>
        Assert.Equal(expected, Redaction.Text(text));

    [Theory]
    [InlineData("Basic realm=\"x\"", true)]
    [InlineData("basic", true)]
    [InlineData("Newauth realm=\"apps\", type=1, title=\"Login to \\\"apps\\\"\", Basic realm=\"simple\"", true)]
    [InlineData("Bearer realm=\"Basic\"", false)]
    [InlineData("Bearer realm=\"a, Basic\"", false)]
    [InlineData("Negotiate abc==, Bearer", false)]
    [InlineData("Bearer, basic = 1", false)]
    public void A_Basic_challenge_is_found_among_several_and_never_inside_a_parameter(string value, bool offered)
    {
        var head = HeadFactory.Create(1, ("WWW-Authenticate", value));
        Assert.Equal(offered, UrlCredentials.OffersBasic(head));
    }

    [Fact]
    public void Extra_header_fields_are_written_after_FetchAgents_own()
    {
        var fields = RequestWriter.Headers(new Uri("http://a.test/"), "*/*", false, [new HeaderField("Authorization", "Basic eA==")]);
        Assert.Equal(["Host", "User-Agent", "Accept", "Accept-Encoding", "Connection", "Authorization"], fields.Select(f => f.Name));
    }
}
