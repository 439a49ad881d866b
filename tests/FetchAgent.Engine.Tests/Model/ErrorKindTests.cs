using System.Net;
using System.Net.Sockets;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Navigation;
using FetchAgent.Engine.Page;
using FetchAgent.Engine.Tests.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Model;

/// <summary>
/// Issue 10, item 6: beside every error text a machine-readable kind, from the step that failed, on the object, its
/// connection and the page. One real failure per kind, against real loopback servers. (Every other engine test
/// checks the pairing too: a text without a kind, or a kind without a text, fails the run; see PageLoadRun.)
/// </summary>
public sealed class ErrorKindTests
{
    private static Task<ObjectRecord> BadImage(SiteResource bad, LoadOptions? options = null) =>
        HostileServerTests.LoadWithBadImage(bad, options);

    public static TheoryData<string, string, string, ErrorKind> HostileResponses => new()
    {
        { "a body cut short", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789", "truncated: 10 of 100 bytes", ErrorKind.Truncated },
        { "a chunked body cut short", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabc", "truncated: chunked body", ErrorKind.Truncated },
        { "a head cut short", "HTTP/1.1 200 OK\r\nContent-Le", "truncated: response head incomplete", ErrorKind.Truncated },
        { "a garbled status line", "HTTP/1.1 abc nonsense\r\n\r\n", "invalid status line", ErrorKind.Protocol },
        { "an invalid chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", "invalid chunk size", ErrorKind.Protocol },
        { "an unrequested 101", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", "101 Switching Protocols without an upgrade request", ErrorKind.Protocol },
        { "a close before any byte", "", "connection closed before any response byte", ErrorKind.Reset },
        { "a header section past 64 KiB", "HTTP/1.1 200 OK\r\nX-Big: " + new string('a', 70_000) + "\r\nContent-Length: 0\r\n\r\n", "header section too large", ErrorKind.Limit },
    };

    [Theory]
    [MemberData(nameof(HostileResponses))]
    public async Task A_hostile_response_fails_its_object_with_the_kind_of_what_went_wrong(string what, string raw, string errorStart, ErrorKind kind)
    {
        var bad = await BadImage(SiteResource.Hostile(raw));

        Assert.True(bad.Error?.StartsWith(errorStart, StringComparison.Ordinal), $"{what}: '{bad.Error}'");
        Assert.Equal(kind, bad.ErrorKind);
    }

    [Fact]
    public async Task A_body_past_max_body_bytes_is_a_limit()
    {
        var bad = await BadImage(SiteResource.Image(50_000), Sites.Options(perHost: 3) with { MaxBodyBytes = 10_000 });
        Assert.StartsWith("body too large", bad.Error);
        Assert.Equal(ErrorKind.Limit, bad.ErrorKind);
    }

    [Fact]
    public async Task A_hung_object_is_a_timeout()
    {
        var bad = await BadImage(SiteResource.Image(10) with { Delay = TimeSpan.FromSeconds(20) }, Sites.Options(perHost: 3) with { ObjectTimeoutMs = 300 });
        Assert.Equal(("timeout: no response in 300 ms", ErrorKind.Timeout), (bad.Error, bad.ErrorKind));
    }

    [Fact]
    public async Task A_refused_document_is_refused_on_the_object_its_connection_and_the_page()
    {
        int port;
        await using (var gone = new StaticOrigin())
            port = gone.Port;
        var page = await new PageLoader().LoadAsync(new Uri($"http://127.0.0.1:{port}/"), Sites.Options());

        Assert.Equal((PageLoadStatus.Failed, ErrorKind.Refused), (page.Status, page.ErrorKind));
        Assert.Equal(ErrorKind.Refused, Assert.Single(page.Objects).ErrorKind);
        var connection = Assert.Single(page.Connections);
        Assert.Equal(($"connect: 127.0.0.1:{port} connection refused", ErrorKind.Refused), (connection.Error, connection.ErrorKind));
    }

    [Fact]
    public async Task A_failed_lookup_is_dns()
    {
        var page = await new PageLoader(resolver: async (_, _) =>
        {
            await Task.Yield();
            throw new SocketException((int)SocketError.HostNotFound);
        }).LoadAsync(new Uri("http://no-such-host.test/"), Sites.Options());

        Assert.Equal(("document: dns: no-such-host.test: no such host", ErrorKind.Dns), (page.Error, page.ErrorKind));
        Assert.Equal(ErrorKind.Dns, Assert.Single(page.Objects).ErrorKind);
    }

    [Fact]
    public async Task An_untrusted_certificate_is_tls()
    {
        await using var site = new StaticOrigin(certificate: TestCertificates.Localhost).Add("/", SiteResource.Html("<p>hi"));
        var page = await new PageLoader().LoadAsync(site.Url("localhost", "/"), Sites.Options());

        Assert.Equal(("document: tls: certificate not trusted: UntrustedRoot", ErrorKind.Tls), (page.Error, page.ErrorKind));
        var connection = Assert.Single(page.Connections);
        Assert.Equal((CloseReason.Error, ErrorKind.Tls), (connection.CloseReason, connection.ErrorKind));
    }

    [Fact]
    public async Task A_destination_the_policy_refuses_is_policy()
    {
        await using var site = Sites.WithImages(1);
        var page = await new PageLoader(destinations: DestinationPolicy.BlockPrivate([])).LoadAsync(site.Url("/"), Sites.Options());

        Assert.Equal(ErrorKind.Policy, page.ErrorKind);
        Assert.Equal(("policy: destination not allowed (127.0.0.1)", ErrorKind.Policy), (page.Objects[0].Error, page.Objects[0].ErrorKind));
    }

    [Fact]
    public async Task A_stylesheet_whose_gzip_is_broken_is_decoding()
    {
        const string notGzip = "not gzip at all, just text";
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Html("<link rel=stylesheet href=/bad.css>"))
            .Add("/bad.css", SiteResource.Hostile(
                $"HTTP/1.1 200 OK\r\nContent-Type: text/css\r\nContent-Encoding: gzip\r\nContent-Length: {notGzip.Length}\r\n\r\n{notGzip}"));
        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options());

        var bad = page.Objects.Single(o => o.Url.EndsWith("/bad.css", StringComparison.Ordinal));
        Assert.Equal((200, ErrorKind.Decoding), (bad.Status, bad.ErrorKind));
        Assert.NotNull(bad.Error);
    }

    [Fact]
    public async Task A_redirect_loop_is_redirect_on_the_hop_that_gave_up()
    {
        var bad = await BadImage(SiteResource.Hostile("HTTP/1.1 302 Found\r\nLocation: /bad.png\r\nContent-Length: 0\r\n\r\n"));
        Assert.Equal(("redirect: more than 10 redirects", ErrorKind.Redirect), (bad.Error, bad.ErrorKind));
    }

    [Fact]
    public async Task The_page_deadline_is_a_timeout_and_a_cancel_is_cancelled()
    {
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Html("<img src=/held.png>"))
            .Add("/held.png", SiteResource.Image(10) with { Delay = TimeSpan.FromHours(1) });

        var timedOut = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options() with { PageTimeoutMs = 300 });
        var held = timedOut.Objects.Single(o => o.Url.EndsWith("/held.png", StringComparison.Ordinal));
        Assert.Equal(("timeout: page deadline", ErrorKind.Timeout), (held.Error, held.ErrorKind));

        // A fresh origin, so "requested" means requested by this load.
        await using var second = new StaticOrigin()
            .Add("/", SiteResource.Html("<img src=/held.png>"))
            .Add("/held.png", SiteResource.Image(10) with { Delay = TimeSpan.FromHours(1) });
        using var cancel = new CancellationTokenSource();
        var loading = new PageLoader().LoadAsync(second.Url("/"), Sites.Options(), null, CancellationToken.None, cancel.Token);
        await second.WhenRequested("/held.png").WaitAsync(TimeSpan.FromSeconds(30));
        await cancel.CancelAsync();
        var cancelled = await loading.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(PageLoadStatus.Cancelled, cancelled.Status);
        held = cancelled.Objects.Single(o => o.Url.EndsWith("/held.png", StringComparison.Ordinal));
        Assert.Equal(("cancelled", ErrorKind.Cancelled), (held.Error, held.ErrorKind));
    }

    [Fact]
    public void The_json_names_are_kebab_case_words()
    {
        Assert.Equal(
            ["timeout", "dns", "refused", "unreachable", "tls", "policy", "reset", "truncated", "protocol", "limit", "decoding", "redirect", "cancelled", "storage", "internal"],
            Enum.GetValues<ErrorKind>().Select(DocumentJson.Name));
        var record = new ObjectRecord { Url = "http://127.0.0.1/", Error = "dns: x: no such host", ErrorKind = ErrorKind.Dns };
        Assert.Contains("\"errorKind\":\"dns\"", System.Text.Json.JsonSerializer.Serialize(record, DocumentJson.Options), StringComparison.Ordinal);
    }
}
