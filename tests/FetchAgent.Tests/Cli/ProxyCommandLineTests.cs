using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using FetchAgent.Cli;
using FetchAgent.TestServers;

namespace FetchAgent.Tests.Cli;

/// <summary>
/// Issue 12 at the edges: the CLI reads curl's proxy variables (a real process, with its own environment), and neither
/// the CLI nor the daemon writes the proxy's credentials anywhere: not the document, not the database, not HAR.
/// </summary>
public sealed class ProxyCommandLineTests
{
    private const string Secret = "s3cret-Pa55";

    private static StaticOrigin Site() => new StaticOrigin()
        .Add("/", SiteResource.Html("<img src=/a.png>"))
        .Add("/a.png", SiteResource.Image(100));

    private static async Task<(int Exit, string Stdout, string Stderr)> RunProcessAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [typeof(CommandLine).Assembly.Location, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var name in new[] { "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY" })
            start.Environment.Remove(name);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task The_command_line_goes_through_http_proxy_with_the_credentials_of_its_URL_and_shows_them_nowhere()
    {
        await using var site = Site();
        await using var proxy = new TestProxy(credentials: $"alice:{Secret}");
        var variable = $"http://alice:{Secret}@127.0.0.1:{proxy.Port}";

        var (exit, stdout, stderr) = await RunProcessAsync(new Dictionary<string, string> { ["http_proxy"] = variable }, "load", site.Url("/").AbsoluteUri, "--json");

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.All(json.RootElement.GetProperty("connections").EnumerateArray(), c => Assert.Equal(proxy.Url, c.GetProperty("proxy").GetString()));
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("options").GetProperty("proxy").ValueKind);
        Assert.Equal(2, json.RootElement.GetProperty("objects").EnumerateArray().Count(o => o.GetProperty("status").GetInt32() == 200));
        Assert.DoesNotContain(Secret, stdout + stderr, StringComparison.Ordinal);
        Assert.Equal(3, proxy.Log.Count); // the 407, then the document and the image with credentials
    }

    [Fact]
    public async Task Noproxy_star_and_an_empty_proxy_each_turn_the_environments_proxy_off()
    {
        await using var site = Site();
        await using var proxy = new TestProxy();
        var environment = new Dictionary<string, string> { ["HTTP_PROXY"] = proxy.Url };

        var viaStar = await RunProcessAsync(environment, "load", site.Url("/").AbsoluteUri, "--json", "--noproxy", "*");
        var viaEmpty = await RunProcessAsync(environment, "load", site.Url("/").AbsoluteUri, "--json", "--proxy=");
        var through = await RunProcessAsync(environment, "load", site.Url("/").AbsoluteUri, "--json");

        foreach (var (exit, stdout, stderr) in new[] { viaStar, viaEmpty })
        {
            Assert.True(exit == 0, stderr);
            Assert.All(JsonDocument.Parse(stdout).RootElement.GetProperty("connections").EnumerateArray(), c => Assert.Equal(JsonValueKind.Null, c.GetProperty("proxy").ValueKind));
        }

        Assert.All(JsonDocument.Parse(through.Stdout).RootElement.GetProperty("connections").EnumerateArray(), c => Assert.Equal(proxy.Url, c.GetProperty("proxy").GetString()));
        Assert.Equal(2, proxy.Log.Count);
    }

    [Fact]
    public async Task Proxy_user_is_used_and_never_stored_by_the_command_line_or_the_daemon()
    {
        await using var site = Site();
        await using var proxy = new TestProxy(credentials: $"alice:{Secret}");
        var database = Api.Daemon.NewDatabasePath();
        var har = Path.Combine(Path.GetDirectoryName(database)!, "load.har");

        var (exit, stdout, stderr) = await Cli.Run(
            ["load", site.Url("/").AbsoluteUri, "--json", "--proxy", proxy.Url, "--proxy-user", $"alice:{Secret}", "--db", database, "--har", har]);

        Assert.True(exit == 0, stderr);
        using (var json = JsonDocument.Parse(stdout))
            Assert.Equal(2, json.RootElement.GetProperty("objects").EnumerateArray().Count(o => o.GetProperty("status").GetInt32() == 200));
        Assert.DoesNotContain(Secret, stdout + stderr + await File.ReadAllTextAsync(har), StringComparison.Ordinal);

        await using (var daemon = await Api.Daemon.StartAsync(database))
        {
            var body = JsonSerializer.Serialize(new { url = site.Url("/").AbsoluteUri, proxy = proxy.Url, proxyUser = $"alice:{Secret}" });
            var response = await daemon.Client.PostAsync("/api/page-loads", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            Assert.Contains("\"status\":200", text, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        }

        // Nothing of the secret in the database file, its WAL, or anything beside it.
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(database)!))
            Assert.DoesNotContain(Secret, Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file)), StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes($"alice:{Secret}")), Encoding.Latin1.GetString(await File.ReadAllBytesAsync(database)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proxy_option_with_credentials_is_refused_with_the_flag_named()
    {
        var (exit, stdout, stderr) = await Cli.Run(["load", "http://127.0.0.1:9/", "--proxy", $"http://alice:{Secret}@127.0.0.1:3128"]);

        Assert.Equal((2, ""), (exit, stdout));
        Assert.Equal("fetchagent: --proxy must not carry credentials: give them with --proxy-user (REST proxyUser), which is never stored\n", stderr);
    }
}
