using System.Diagnostics;
using System.Text.Json;
using FetchAgent.TestServers;

namespace FetchAgent.Tests.Api;

/// <summary>
/// Runs every file in <c>http-requests/</c> with httpyac (installed by ./test.sh) against a fresh
/// daemon and a real page, so the files that document the API cannot go stale.
/// </summary>
public sealed class HttpFilesTests
{
    public static TheoryData<string> Files() => new(Directory.GetFiles(Path.Combine(Tools.RepositoryRoot(), "http-requests"), "*.http").Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Every_request_in_the_file_passes_its_assertions(string file)
    {
        await using var site = PageLoadsApiTests.Site();
        await using var daemon = await Daemon.StartAsync();
        Tools.Require("httpyac");
        var httpyac = Path.Combine(Tools.NodeModules, ".bin", "httpyac");

        var start = new ProcessStartInfo(httpyac,
            ["send", file, "--all", "-e", "local", "--json", "-o", "none", "--var", $"baseUrl={daemon.Client.BaseAddress!.AbsoluteUri.TrimEnd('/')}", $"siteUrl={site.Url("/").AbsoluteUri}"])
        {
            WorkingDirectory = Path.Combine(Tools.RepositoryRoot(), "http-requests"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        var output = await stdout;

        // httpyac exits 0 even when a request errored: its summary is the verdict.
        using var json = JsonDocument.Parse(output[output.IndexOf('{')..]);
        var summary = json.RootElement.GetProperty("summary");
        var report = $"{file}: {summary}\n{await stderr}\n{Failures(json.RootElement)}";
        Assert.True(summary.GetProperty("totalRequests").GetInt32() > 0, report);
        Assert.True(summary.GetProperty("failedRequests").GetInt32() == 0, report);
        Assert.True(summary.GetProperty("erroredRequests").GetInt32() == 0, report);
        Assert.True(summary.GetProperty("failedTests").GetInt32() == 0, report);
        Assert.True(summary.GetProperty("erroredTests").GetInt32() == 0, report);
        Assert.Equal(summary.GetProperty("totalRequests").GetInt32(), summary.GetProperty("successRequests").GetInt32());
    }

    private static string Failures(JsonElement root) =>
        string.Join('\n', root.GetProperty("requests").EnumerateArray()
            .Where(r => r.TryGetProperty("summary", out var s) && (s.GetProperty("failedTests").GetInt32() > 0 || s.GetProperty("erroredTests").GetInt32() > 0))
            .Select(r => r.ToString()));
}
