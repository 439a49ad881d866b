using System.Diagnostics;
using System.Globalization;

namespace FetchAgent.Bench.SideBySide;

/// <summary>
/// Debian's curl, one process per load handed every URL of the page in one invocation (the page first), so its
/// connections are kept alive and reused across transfers: <c>--parallel --parallel-max</c>. curl's limit counts
/// transfers in flight over all hosts, not per host (curl 7.88 has no per-host limit), so it is N times the number of
/// hosts the list names: with the list in document order, about N per host. The time is the process's, from start to
/// exit: it includes curl's start-up, which <see cref="StartUpMsAsync"/> measures on its own for the report.
/// </summary>
public sealed class CurlPageClient(int connections) : IPageClient
{
    public const string Executable = "/usr/bin/curl";

    /// <summary>One line per transfer: status, connections it opened, and its URL.</summary>
    private const string WriteOut = "%{http_code} %{num_connects} %{url_effective}\n";

    public string Name => "curl";

    public string UserAgent => "FetchAgent.Bench-curl";

    public string Description =>
        $"{Version()}, one process per load: --parallel --parallel-max {connections} x hosts --http1.1, keep-alive, handed the list (page first); time = process start to exit";

    public async Task<ClientLoad> LoadAsync(Uri page, IReadOnlyList<Uri> subResources, CancellationToken cancellationToken)
    {
        if (!File.Exists(Executable))
            throw new BenchFailure($"curl is not installed at {Executable}: apt-get install curl");
        List<Uri> urls = [page, .. subResources];
        var hosts = urls.Select(u => u.Authority).Distinct().Count();
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--parallel", "--parallel-max", Math.Min(300, connections * hosts).ToString(CultureInfo.InvariantCulture),
            "--http1.1", "--compressed", "--silent", "--show-error", "--max-time", "120",
            "--user-agent", UserAgent, "--write-out", WriteOut,
        })
            start.ArgumentList.Add(argument);
        foreach (var url in urls)
        {
            start.ArgumentList.Add("--output");
            start.ArgumentList.Add("/dev/null");
            start.ArgumentList.Add(url.AbsoluteUri);
        }

        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(start) ?? throw new BenchFailure("curl did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new BenchFailure($"curl {page}: no exit within the deadline (killed)");
        }

        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (process.ExitCode != 0)
            throw new BenchFailure($"curl {page}: exit {process.ExitCode}: {(await errors).Trim()}");
        var transfers = lines.Select(line => line.Split(' ', 3)).ToList();
        return new ClientLoad(
            ms,
            transfers.Select(t => new Uri(t[2])).ToList(),
            transfers.Count(t => t[0] != "200"),
            transfers.Sum(t => int.Parse(t[1], CultureInfo.InvariantCulture)));
    }

    /// <summary>Median wall time of a curl process that transfers nothing worth timing (<c>file:///dev/null</c>).</summary>
    public static async Task<double> StartUpMsAsync(int runs)
    {
        var samples = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var start = new ProcessStartInfo(Executable, ["--silent", "--output", "/dev/null", "file:///dev/null"]) { UseShellExecute = false };
            var started = Stopwatch.GetTimestamp();
            using var process = Process.Start(start) ?? throw new BenchFailure("curl did not start");
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new BenchFailure("curl file:///dev/null did not exit within 30 s (killed)");
            }

            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return ResultTable.Median(samples);
    }

    private static string? _version;

    /// <summary>"curl 7.88.1", from <c>curl --version</c>'s first line.</summary>
    public static string Version()
    {
        if (_version is not null)
            return _version;
        using var process = Process.Start(new ProcessStartInfo(Executable, ["--version"]) { RedirectStandardOutput = true, UseShellExecute = false });
        var first = process?.StandardOutput.ReadLine() ?? "curl";
        process?.WaitForExit(10_000);
        return _version = string.Join(' ', first.Split(' ').Take(2));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
