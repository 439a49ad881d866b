using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net;
using FetchAgent.Engine.Navigation;
using FetchAgent.TestServers;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FetchAgent.Tests.Ui;

/// <summary>
/// Issue 9, item 3, as an attacker's page would try it: a real headless Chromium on another origin posts to the
/// daemon with what a page may send without a CORS preflight (a no-cors fetch, an HTML form). None may start a load.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CrossSiteTests(BrowserFixture browser)
{
    private const string Key = "tab key 7f3a";

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data")]
    public async Task A_page_on_another_origin_cannot_start_a_load_with_a_no_cors_fetch_or_a_form(string formEncoding)
    {
        await using var target = Api.PageLoadsApiTests.Site();
        await using var daemon = await Api.Daemon.StartAsync();
        var api = new Uri(daemon.Client.BaseAddress!, "/api/page-loads").AbsoluteUri;
        var json = $$"""{"url":"{{target.Url("/").AbsoluteUri}}"}""";
        // The text/plain form trick: name + '=' + value is a JSON document, as an attacker would craft it.
        var (name, value) = (json[..^2] + "\",\"x\":\"", "\"}");
        await using var attacker = new StaticOrigin().Add("/", SiteResource.Html($$"""
            <!doctype html><title>attacker</title>
            <form id=f method=post action="{{api}}" enctype="{{formEncoding}}"><input name='{{name}}' value='{{value}}'></form>
            <script>
              window.noCors = () => fetch({{System.Text.Json.JsonSerializer.Serialize(api)}}, { mode: 'no-cors', method: 'POST', body: {{System.Text.Json.JsonSerializer.Serialize(json)}} }).then(r => r.type);
            </script>
            """));
        Assert.NotEqual(new Uri(attacker.Origin).Port, daemon.Client.BaseAddress!.Port);
        Assert.Equal(0, await Api.AccessTests.LoadCountAsync(daemon));

        await using var watched = await browser.OpenAsync(new Uri(attacker.Origin));
        var page = watched.Page;
        await page.GotoAsync("/");

        // The browser did send it (so the daemon, not the browser, refused it), and could not read the answer.
        string? type = null;
        var fetched = await page.RunAndWaitForResponseAsync(async () => type = await page.EvaluateAsync<string>("noCors()"), r => r.Url == api);
        Assert.Equal((int)HttpStatusCode.UnsupportedMediaType, fetched.Status);
        Assert.Equal("opaque", type);
        Assert.Equal("text/plain;charset=UTF-8", await fetched.Request.HeaderValueAsync("content-type"));

        var posted = await page.RunAndWaitForResponseAsync(() => page.Locator("#f").EvaluateAsync("f => f.submit()"), r => r.Url == api);
        Assert.Equal((int)HttpStatusCode.UnsupportedMediaType, posted.Status);
        Assert.Equal("POST", posted.Request.Method);
        Assert.StartsWith(formEncoding, await posted.Request.HeaderValueAsync("content-type"));
        Assert.Null(await posted.HeaderValueAsync("access-control-allow-origin"));

        Assert.Equal(0, await Api.AccessTests.LoadCountAsync(daemon));
        Assert.Empty(target.Requests);

        // The same body, declared JSON by a client that may: one load, and the target sees it.
        Assert.Equal(HttpStatusCode.Created, (await daemon.Client.PostAsync("/api/page-loads", new StringContent(json, System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(1, await Api.AccessTests.LoadCountAsync(daemon));
        Assert.NotEmpty(target.Requests);
    }

    [Fact]
    public async Task The_UI_asks_for_the_key_once_keeps_it_for_the_tab_and_sends_it_on_every_call()
    {
        await using var site = UiSite.Create(TimeSpan.Zero);
        await using var daemon = await Api.Daemon.StartAsync(configure: o => o.ApiKey = Key);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/page-loads") { Content = JsonContent.Create(new { url = site.Url("/").AbsoluteUri }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        var created = await daemon.JsonAsync(await daemon.Client.SendAsync(request));
        var id = created.GetProperty("id").GetInt64();

        await using var watched = await browser.OpenAsync(daemon.Client.BaseAddress!);
        var page = watched.Page;
        var prompts = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            lock (prompts)
                prompts.Add(dialog.Type);
            await dialog.AcceptAsync(Key);
        };
        var unauthorized = 0;
        page.Response += (_, response) =>
        {
            if (response.Status == 401)
                Interlocked.Increment(ref unauthorized);
        };

        await page.GotoAsync("/");
        var rows = page.Locator("[data-testid='load-row']");
        await Expect(rows).ToHaveCountAsync(1);
        Assert.Equal(Key, await page.EvaluateAsync<string>("sessionStorage.getItem('fetchagent.apiKey')"));

        // Another page of the same tab: the document and its events (read with fetch, which can carry the key).
        await rows.First.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.Locator("[data-testid='waterfall-row']")).ToHaveCountAsync(created.GetProperty("objects").GetArrayLength());
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-status", created.GetProperty("status").GetString()!);
        await page.ReloadAsync();
        await Expect(page.Locator("[data-testid='waterfall-row']")).ToHaveCountAsync(created.GetProperty("objects").GetArrayLength());

        Assert.Equal(["prompt"], prompts);
        // Only the very first call went without the key.
        Assert.Equal(1, unauthorized);
        watched.AssertNoErrors(UiSite.ResourceStatus(401));
        Assert.Equal($"/page-loads/{id}", new Uri(page.Url).AbsolutePath);
    }
}
