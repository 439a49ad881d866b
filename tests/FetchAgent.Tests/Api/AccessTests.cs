using FetchAgent.TestServers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using FetchAgent.Access;
using FetchAgent.Cli;
using FetchAgent.Engine.Navigation;

namespace FetchAgent.Tests.Api;

/// <summary>Issue 9, item 3: who may use the daemon. A real daemon on a real port; the requests are what an attacker's would be.</summary>
public sealed class AccessTests
{
    private const string Key = "correct horse battery staple";

    [Theory]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://localhost:5080")]
    [InlineData("http://[::1]:5080")]
    [InlineData("http://127.0.0.1:5080;http://[::1]:5080")]
    public void Loopback_needs_no_key(string urls) =>
        Assert.Null(ListenPolicy.Refusal(urls.Split(';'), apiKey: null));

    [Theory]
    [InlineData("http://0.0.0.0:5080", "http://0.0.0.0:5080")]
    [InlineData("http://[::]:5080", "http://[::]:5080")]
    [InlineData("http://*:5080", "http://*:5080")]
    [InlineData("http://+:5080", "http://+:5080")]
    [InlineData("http://192.168.1.20:5080", "http://192.168.1.20:5080")]
    [InlineData("http://fetchagent.example:5080", "http://fetchagent.example:5080")]
    [InlineData("http://127.0.0.1:5080;http://0.0.0.0:5081", "http://0.0.0.0:5081")]
    public void Off_loopback_without_a_key_is_refused_naming_the_address(string urls, string named)
    {
        Assert.Equal(
            $"refusing to listen on {named} without an API key: anyone who reaches that address could run loads and read every stored one; " +
            "set FetchAgent:ApiKey (environment FetchAgent__ApiKey) or listen on 127.0.0.1",
            ListenPolicy.Refusal(urls.Split(';'), apiKey: null));
        Assert.Equal(ListenPolicy.Refusal(urls.Split(';'), apiKey: null), ListenPolicy.Refusal(urls.Split(';'), apiKey: "  "));
        Assert.Null(ListenPolicy.Refusal(urls.Split(';'), apiKey: Key));
    }

    [Fact]
    public async Task The_real_executable_bound_to_0_0_0_0_without_a_key_exits_1_with_one_line_before_opening_anything()
    {
        var port = LoopbackPorts.Free();
        var database = Daemon.NewDatabasePath();
        var start = new ProcessStartInfo("dotnet", [typeof(CommandLine).Assembly.Location, "serve", "--urls", $"http://0.0.0.0:{port}", "--db", database])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Remove("FetchAgent__ApiKey");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, process.ExitCode);
        Assert.Equal($"fetchagent: {ListenPolicy.Refusal([$"http://0.0.0.0:{port}"], null)}\n", await stderr);
        Assert.Equal("", await stdout);
        // Refused before the database was opened, let alone a port bound.
        Assert.False(File.Exists(database));
        Assert.False(Directory.Exists(Path.GetDirectoryName(database)));
    }

    [Fact]
    public async Task With_a_key_the_daemon_may_listen_on_0_0_0_0_and_the_API_needs_the_key()
    {
        await using var daemon = await Daemon.StartAsync(configure: o => o.ApiKey = Key, urls: "http://0.0.0.0:0");
        Assert.StartsWith("http://0.0.0.0:", daemon.Address);
        Assert.Equal(HttpStatusCode.Unauthorized, (await daemon.Client.GetAsync("/api/page-loads")).StatusCode);
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/page-loads");
        request.Headers.Add("X-Api-Key", Key);
        Assert.Equal(HttpStatusCode.OK, (await daemon.Client.SendAsync(request)).StatusCode);
    }

    [Theory]
    [InlineData(null, null, HttpStatusCode.Unauthorized)]
    [InlineData("Bearer", "wrong key", HttpStatusCode.Unauthorized)]
    [InlineData("Bearer", Key + " ", HttpStatusCode.OK)]
    [InlineData("Bearer", "correct horse battery stapl", HttpStatusCode.Unauthorized)]
    [InlineData("Basic", Key, HttpStatusCode.Unauthorized)]
    [InlineData("Bearer", Key, HttpStatusCode.OK)]
    [InlineData("X-Api-Key", "wrong key", HttpStatusCode.Unauthorized)]
    [InlineData("X-Api-Key", Key, HttpStatusCode.OK)]
    public async Task Every_api_call_needs_the_key_as_bearer_token_or_X_Api_Key(string? scheme, string? value, HttpStatusCode expected)
    {
        await using var daemon = await Daemon.StartAsync(configure: o => o.ApiKey = Key);
        foreach (var path in new[] { "/api/page-loads", "/api/page-loads/1", "/api/comparisons/1", "/api/trends?url=http://127.0.0.1/", "/api/page-loads/1/events" })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (scheme == "X-Api-Key")
                request.Headers.Add("X-Api-Key", value);
            else if (scheme is not null)
                request.Headers.Authorization = new AuthenticationHeaderValue(scheme, value);
            var response = await daemon.Client.SendAsync(request);

            if (expected == HttpStatusCode.Unauthorized)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
                Assert.Equal("Bearer realm=\"FetchAgent\"", response.Headers.WwwAuthenticate.Single().ToString());
                Assert.Equal("API key required", (await daemon.JsonAsync(response)).GetProperty("title").GetString());
            }
            else
            {
                // Past the key: the endpoint answers (a list, or 404 for ids that do not exist).
                Assert.Contains(response.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.NotFound });
            }
        }
    }

    [Fact]
    public async Task A_POST_with_the_key_runs_a_load_and_one_without_runs_none()
    {
        await using var site = PageLoadsApiTests.Site();
        await using var daemon = await Daemon.StartAsync(configure: o => o.ApiKey = Key);
        var body = new { url = site.Url("/").AbsoluteUri };

        Assert.Equal(HttpStatusCode.Unauthorized, (await daemon.Client.PostAsJsonAsync("/api/page-loads", body)).StatusCode);
        Assert.Equal(0, await LoadCountAsync(daemon));

        var request = new HttpRequestMessage(HttpMethod.Post, "/api/page-loads") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        Assert.Equal(HttpStatusCode.Created, (await daemon.Client.SendAsync(request)).StatusCode);
        Assert.Equal(1, await LoadCountAsync(daemon));
    }

    [Fact]
    public async Task Healthz_and_the_UI_shell_stay_open_and_healthz_shows_no_file_path()
    {
        await using var daemon = await Daemon.StartAsync(configure: o => o.ApiKey = Key);

        var health = await daemon.Client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("""{"status":"ok","database":"ok"}""", await health.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await daemon.Client.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await daemon.Client.GetAsync("/js/api.js")).StatusCode);
    }

    [Theory]
    [InlineData("POST", "/api/page-loads", "text/plain;charset=UTF-8")]
    [InlineData("POST", "/api/page-loads", "application/x-www-form-urlencoded")]
    [InlineData("POST", "/api/page-loads", "multipart/form-data; boundary=x")]
    [InlineData("POST", "/api/page-loads", null)]
    [InlineData("POST", "/api/comparisons", "text/plain")]
    [InlineData("DELETE", "/api/page-loads/1", null)]
    [InlineData("DELETE", "/api/page-loads/1", "text/plain")]
    public async Task POST_and_DELETE_need_application_json_else_415_and_nothing_happens(string method, string path, string? contentType)
    {
        await using var site = PageLoadsApiTests.Site();
        await using var daemon = await Daemon.StartAsync();
        var json = $$"""{"url":"{{site.Url("/").AbsoluteUri}}","strategies":["serial"]}""";
        var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(json));
        if (contentType is not null)
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        var response = await daemon.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = content });

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"{method} needs 'Content-Type: application/json', not '{content.Headers.ContentType?.ToString() ?? "(none)"}'.", (await daemon.JsonAsync(response)).GetProperty("detail").GetString());
        Assert.Equal(0, await LoadCountAsync(daemon));
        Assert.Empty(site.Requests);
    }

    [Theory]
    [InlineData("rebound.example", null, HttpStatusCode.BadRequest)]
    [InlineData("127.0.0.1.nip.example", null, HttpStatusCode.BadRequest)]
    [InlineData("localhost.evil.example", null, HttpStatusCode.BadRequest)]
    [InlineData("127.0.0.2", null, HttpStatusCode.BadRequest)]
    [InlineData("fetchagent.internal", null, HttpStatusCode.BadRequest)]
    [InlineData("fetchagent.internal", "a.example; FetchAgent.Internal", HttpStatusCode.OK)]
    [InlineData("localhost", null, HttpStatusCode.OK)]
    [InlineData("LOCALHOST", null, HttpStatusCode.OK)]
    [InlineData("127.0.0.1", null, HttpStatusCode.OK)]
    public async Task The_Host_header_must_name_the_listening_address_localhost_or_an_allowed_name(string host, string? allowed, HttpStatusCode expected)
    {
        await using var daemon = await Daemon.StartAsync(configure: o => o.AllowedHosts = allowed);
        var port = new Uri(daemon.Address).Port;
        foreach (var path in new[] { "/api/page-loads", "/healthz", "/" })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Host = $"{host}:{port}";
            var response = await daemon.Client.SendAsync(request);

            Assert.Equal(expected, response.StatusCode);
            if (expected == HttpStatusCode.BadRequest)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
                Assert.Equal("Host not allowed", (await daemon.JsonAsync(response)).GetProperty("title").GetString());
            }
        }
    }

    [Fact]
    public async Task No_CORS_header_is_ever_sent_not_even_to_a_preflight()
    {
        await using var daemon = await Daemon.StartAsync();
        var requests = new[]
        {
            new HttpRequestMessage(HttpMethod.Get, "/api/page-loads"),
            new HttpRequestMessage(HttpMethod.Get, "/healthz"),
            new HttpRequestMessage(HttpMethod.Options, "/api/page-loads"),
            new HttpRequestMessage(HttpMethod.Post, "/api/page-loads") { Content = new StringContent("{}", System.Text.Encoding.UTF8, "text/plain") },
        };
        foreach (var request in requests)
        {
            request.Headers.Add("Origin", "http://attacker.example");
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "content-type");
            var response = await daemon.Client.SendAsync(request);
            var headers = response.Headers.Concat(response.Content.Headers).Select(h => h.Key).ToList();
            Assert.DoesNotContain(headers, h => h.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
        }
    }

    internal static async Task<long> LoadCountAsync(Daemon daemon)
    {
        await using var connection = await new FetchAgent.Storage.Sqlite.SqliteDatabase(daemon.DatabasePath).OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM page_loads;";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
