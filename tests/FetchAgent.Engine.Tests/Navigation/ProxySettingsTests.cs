using FetchAgent.Engine.Model;
using FetchAgent.Engine.Navigation;

namespace FetchAgent.Engine.Tests.Navigation;

/// <summary>Issue 12: which proxy a request goes through, as curl decides it, and NO_PROXY matched as curl matches it.</summary>
public sealed class ProxySettingsTests
{
    private static ProxyEnvironment Environment(params (string Name, string Value)[] variables) =>
        ProxyEnvironment.From(name => variables.FirstOrDefault(v => v.Name == name).Value);

    private static string? ProxyFor(string url, LoadOptions options, ProxyEnvironment environment) =>
        ProxySettings.Resolve(options, environment, null).For(new Uri(url))?.ToString();

    [Fact]
    public void Each_scheme_has_its_variable_lower_case_wins_and_all_proxy_is_the_fallback()
    {
        var environment = Environment(("http_proxy", "http://lower:1"), ("HTTP_PROXY", "http://upper:2"), ("HTTPS_PROXY", "upper-tls:3"), ("ALL_PROXY", "http://all:4"));

        Assert.Equal("http://lower:1", ProxyFor("http://example.test/", new LoadOptions(), environment));
        Assert.Equal("http://upper-tls:3", ProxyFor("https://example.test/", new LoadOptions(), environment));
        Assert.Equal("http://all:4", ProxyFor("https://example.test/", new LoadOptions(), Environment(("all_proxy", "http://all:4"))));
        Assert.Equal("http://upper:2", ProxyFor("http://example.test/", new LoadOptions(), Environment(("HTTP_PROXY", "http://upper:2"))));
        Assert.Null(ProxyFor("http://example.test/", new LoadOptions(), Environment()));
    }

    [Fact]
    public void The_option_overrides_the_environment_for_both_schemes_and_empty_turns_every_proxy_off()
    {
        var environment = Environment(("http_proxy", "http://env:1"), ("https_proxy", "http://env:2"));
        var given = new LoadOptions { Proxy = "http://given:3128" };

        Assert.Equal("http://given:3128", ProxyFor("http://example.test/", given, environment));
        Assert.Equal("http://given:3128", ProxyFor("https://example.test/", given, environment));
        Assert.Null(ProxyFor("http://example.test/", new LoadOptions { Proxy = "" }, environment));
        Assert.Null(ProxyFor("https://example.test/", new LoadOptions { Proxy = "" }, environment));
    }

    [Theory]
    [InlineData("*", "http://anything.test/", true)]
    [InlineData("example.test", "http://example.test/", true)]
    [InlineData("example.test", "http://www.example.test/", true)]
    [InlineData(".example.test", "http://www.example.test/", true)]
    [InlineData("example.test", "http://notexample.test/", false)]
    [InlineData("EXAMPLE.test", "http://Example.Test/", true)]
    [InlineData("other.test, example.test", "http://example.test/", true)]
    [InlineData("example.test:8080", "http://example.test:8080/", true)]
    [InlineData("example.test:8080", "http://example.test/", false)]
    [InlineData("127.0.0.1", "http://127.0.0.1:9/", true)]
    [InlineData("127.0.0.1", "http://127.0.0.2/", false)]
    [InlineData("10.0.0.0/8", "http://10.20.30.40/", true)]
    [InlineData("10.0.0.0/8", "http://11.0.0.1/", false)]
    [InlineData("::1", "http://[::1]:8080/", true)]
    [InlineData("[::1]:8080", "http://[::1]:8080/", true)]
    [InlineData("[::1]:8080", "http://[::1]:9090/", false)]
    [InlineData("", "http://example.test/", false)]
    public void NO_PROXY_matches_as_curl_does(string list, string url, bool direct)
    {
        var uri = new Uri(url);

        Assert.Equal(direct, NoProxyList.Parse(list).Bypasses(Hostname.Extract(uri), uri.Port));
    }

    [Fact]
    public void Noproxy_overrides_no_proxy_and_applies_to_the_option_too()
    {
        var environment = Environment(("http_proxy", "http://env:1"), ("no_proxy", "example.test"));

        Assert.Null(ProxyFor("http://example.test/", new LoadOptions(), environment));
        Assert.Null(ProxyFor("http://example.test/", new LoadOptions { Proxy = "http://given:1" }, environment));
        Assert.Equal("http://env:1", ProxyFor("http://example.test/", new LoadOptions { Noproxy = "other.test" }, environment));
        Assert.Null(ProxyFor("http://example.test/", new LoadOptions { Noproxy = "*" }, environment));
    }

    [Theory]
    [InlineData("http://proxy.test:3128", "proxy.test", 3128)]
    [InlineData("proxy.test:3128", "proxy.test", 3128)]
    [InlineData("http://proxy.test", "proxy.test", 1080)]
    [InlineData("http://proxy.test:80", "proxy.test", 80)]
    [InlineData("http://[::1]:3128/", "::1", 3128)]
    [InlineData("http://PROXY.test:3128", "proxy.test", 3128)]
    public void A_proxy_URL_names_host_and_port_with_curls_defaults(string text, string host, int port)
    {
        Assert.Equal(new ProxyEndpoint(host, port), ProxyEndpoint.Parse(text, out var credentials, out var problem));
        Assert.Null(problem);
        Assert.Null(credentials);
    }

    [Fact]
    public void Credentials_in_a_variables_URL_are_used_and_never_shown()
    {
        var settings = ProxySettings.Resolve(new LoadOptions(), Environment(("http_proxy", "http://alice:s%33cret@proxy.test:3128")), null);

        Assert.Equal("http://proxy.test:3128", settings.For(new Uri("http://example.test/"))?.ToString());
        Assert.Equal("alice:***", settings.Credentials?.ToString());
        Assert.Equal("bob:***", ProxySettings.Resolve(new LoadOptions(), Environment(("http_proxy", "http://alice:x@proxy.test:3128")), ProxyCredentials.Parse("bob:pw")).Credentials?.ToString());
    }
}
