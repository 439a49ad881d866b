using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Navigation;

/// <summary>Step 5 for https: a real TLS handshake on loopback, validated unless --insecure.</summary>
public sealed class TlsTests
{
    [Fact]
    public async Task An_untrusted_certificate_fails_the_document_with_a_clear_error()
    {
        await using var site = new StaticOrigin(certificate: TestCertificates.Localhost).Add("/", SiteResource.Html("<p>hi"));
        var page = await new PageLoader().LoadAsync(site.Url("localhost", "/"), Sites.Options());

        Assert.Equal(PageLoadStatus.Failed, page.Status);
        Assert.Equal("document: tls: certificate not trusted: UntrustedRoot", page.Error);
    }

    [Fact]
    public async Task Insecure_accepts_it_and_the_handshake_is_timed_inside_connect()
    {
        await using var site = new StaticOrigin(certificate: TestCertificates.Localhost)
            .Add("/", SiteResource.Html("<img src=/a.png><img src=/b.png>"))
            .Add("/a.png", SiteResource.Image(100))
            .Add("/b.png", SiteResource.Image(100));
        var page = await new PageLoader().LoadAsync(site.Url("localhost", "/"), Sites.Options(perHost: 1) with { Insecure = true });

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        var first = page.Objects[0];
        Assert.True(first.Timings.Ssl > 0);
        Assert.True(first.Timings.Connect >= first.Timings.Ssl);
        Assert.Equal(first.EndMs - first.StartMs, first.Time, 6);
        var connection = Assert.Single(page.Connections);
        Assert.Matches("^TLSv1\\.[23]$", connection.TlsProtocol);
        Assert.True(connection.SslMs > 0);
        Assert.Equal("https", connection.Scheme);
        Assert.All(page.Objects.Skip(1), o => Assert.Equal(-1, o.Timings.Ssl));
        Assert.Equal("localhost", site.ServerNameIndication);
        Assert.Equal("http/1.1", site.NegotiatedProtocol);
    }
}
