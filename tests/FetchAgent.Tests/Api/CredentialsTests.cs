using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using FetchAgent.TestServers;

namespace FetchAgent.Tests.Api;

/// <summary>
/// Issue 9, item 5: a URL with credentials, loaded by a real daemon (in-process, and the real executable for its log)
/// and the command line. The password is sent only as RFC 7617 asks, after the challenge, and is nowhere afterwards:
/// not in any answer, the HAR, the events, the list, the log, nor any byte of the SQLite files.
/// </summary>
public sealed class CredentialsTests
{
    private const string User = "alice";
    private const string Password = "Pa55-w0rd-never-stored";

    [Fact]
    public async Task The_daemon_answers_the_challenge_and_stores_and_shows_the_password_nowhere()
    {
        await using var origin = new BasicAuthOrigin(User, Password);
        await using var daemon = await Daemon.StartAsync();

        var response = await daemon.Client.PostAsJsonAsync("/api/page-loads", new { url = origin.UrlWith(User, Password) });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal([("/", null), ("/", origin.ExpectedAuthorization), ("/a.png", origin.ExpectedAuthorization)], origin.Requests);
        var posted = await response.Content.ReadAsStringAsync();
        var document = JsonDocument.Parse(posted).RootElement;
        var id = document.GetProperty("id").GetInt64();
        var shown = $"http://alice:***@127.0.0.1:{origin.Port}/";
        Assert.Equal((shown, shown), (document.GetProperty("url").GetString(), document.GetProperty("finalUrl").GetString()));
        Assert.Equal(["navigation", "auth", "parser"], document.GetProperty("objects").EnumerateArray().Select(o => o.GetProperty("initiator").GetString()));
        Assert.Equal([401, 200, 200], document.GetProperty("objects").EnumerateArray().Select(o => o.GetProperty("status").GetInt32()));
        var retry = document.GetProperty("objects")[1];
        Assert.Equal(1, retry.GetProperty("parentId").GetInt32());
        Assert.Equal("Basic ***", retry.GetProperty("requestHeaders").EnumerateArray().Single(h => h.GetProperty("name").GetString() == "Authorization").GetProperty("value").GetString());

        var texts = new Dictionary<string, string>
        {
            ["POST"] = posted,
            ["GET"] = await daemon.Client.GetStringAsync($"/api/page-loads/{id}"),
            ["list"] = await daemon.Client.GetStringAsync("/api/page-loads"),
            ["list by host"] = await daemon.Client.GetStringAsync("/api/page-loads?host=127.0.0.1"),
            ["har"] = await daemon.Client.GetStringAsync($"/api/page-loads/{id}/har"),
            ["events"] = await daemon.Client.GetStringAsync($"/api/page-loads/{id}/events"),
        };
        foreach (var (what, text) in texts)
        {
            Assert.True(text.Contains("alice:***@", StringComparison.Ordinal), $"{what} does not show the masked URL");
            AssertNoSecret(what, text, origin.ExpectedAuthorization);
        }

        Assert.Equal(shown, JsonDocument.Parse(texts["list"]).RootElement.GetProperty("items")[0].GetProperty("url").GetString());
        var har = JsonDocument.Parse(texts["har"]).RootElement.GetProperty("log").GetProperty("entries");
        Assert.Equal(shown, har[1].GetProperty("request").GetProperty("url").GetString());

        // Every byte SQLite wrote: the database, its WAL and shared memory.
        foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(daemon.DatabasePath)!))
            AssertNoSecret(file, Encoding.Latin1.GetString(await ReadSharedAsync(file)), origin.ExpectedAuthorization);
    }

    [Fact]
    public async Task The_real_daemons_log_line_shows_the_masked_URL()
    {
        await using var origin = new BasicAuthOrigin(User, Password);
        var port = LoopbackPorts.Free();
        // The executable as built (the test folder's copy lacks SQLite's native library for a process of its own).
        var dll = Path.Combine(Tools.RepositoryRoot(), "src", "FetchAgent", "bin", "Release", "net10.0", "FetchAgent.dll");
        var start = new ProcessStartInfo("dotnet", [dll, "serve", "--urls", $"http://127.0.0.1:{port}", "--db", Daemon.NewDatabasePath()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var log = new StringBuilder();
        try
        {
            await ReadUntilAsync(process.StandardOutput, log, "Now listening on");
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var response = await client.PostAsJsonAsync("/api/page-loads", new { url = origin.UrlWith(User, Password) });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            await ReadUntilAsync(process.StandardOutput, log, " finished: ");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        var text = log + await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        Assert.True(text.Contains($"page load 1 finished: http://alice:***@127.0.0.1:{origin.Port}/ Completed, 3 objects", StringComparison.Ordinal), text);
        AssertNoSecret("the daemon's log", text, origin.ExpectedAuthorization);
    }

    [Fact]
    public async Task The_command_lines_json_har_and_database_show_the_password_nowhere()
    {
        await using var origin = new BasicAuthOrigin(User, Password);
        var folder = Directory.CreateTempSubdirectory("fetchagent-credentials-").FullName;
        var har = Path.Combine(folder, "load.har");
        var database = Path.Combine(folder, "cli.db");

        var (exit, stdout, stderr) = await Cli.Cli.Run("load", origin.UrlWith(User, Password), "--json", "--har", har, "--db", database);

        Assert.Equal(0, exit);
        Assert.Equal([("/", null), ("/", origin.ExpectedAuthorization), ("/a.png", origin.ExpectedAuthorization)], origin.Requests);
        Assert.Equal($"http://alice:***@127.0.0.1:{origin.Port}/", JsonDocument.Parse(stdout).RootElement.GetProperty("url").GetString());
        AssertNoSecret("stdout", stdout, origin.ExpectedAuthorization);
        AssertNoSecret("stderr", stderr, origin.ExpectedAuthorization);
        var harText = await File.ReadAllTextAsync(har);
        Assert.Contains("alice:***@", harText, StringComparison.Ordinal);
        AssertNoSecret("the HAR", harText, origin.ExpectedAuthorization);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.EnumerateFiles(folder, "cli.db*"))
            AssertNoSecret(file, Encoding.Latin1.GetString(await ReadSharedAsync(file)), origin.ExpectedAuthorization);
    }

    /// <summary>Neither the password nor the Basic token that encodes it (nor the password percent-encoded).</summary>
    private static void AssertNoSecret(string where, string text, string authorization)
    {
        Assert.False(text.Contains(Password, StringComparison.Ordinal), $"{where} holds the password");
        Assert.False(text.Contains(authorization["Basic ".Length..], StringComparison.Ordinal), $"{where} holds the Basic token");
        Assert.False(text.Contains(Uri.EscapeDataString(Password), StringComparison.Ordinal), $"{where} holds the password escaped");
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private static async Task ReadUntilAsync(StreamReader reader, StringBuilder log, string marker)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException($"the daemon's output ended before '{marker}':\n{log}");
            log.AppendLine(line);
            if (line.Contains(marker, StringComparison.Ordinal))
                return;
        }
    }
}
