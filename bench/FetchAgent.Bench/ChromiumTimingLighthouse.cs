using System.Diagnostics;

namespace FetchAgent.Bench;

/// <summary>
/// Headless Debian chromium driven by Lighthouse (npm, in .tools/corpus): <c>throttlingMethod: provided</c> reports what
/// the browser observed on the real network (no simulated throttling), from the trace: <c>observedFirstContentfulPaint</c>
/// (the paint timing's first contentful paint), <c>observedSpeedIndex</c> (from the screenshots of the trace) and
/// <c>observedLoad</c> (the load event), and from the network-requests audit when each request went out
/// (<see cref="LighthouseReport"/>). Desktop screen (1350 x 940), a fresh profile per run (an empty cache), and
/// shorter quiet windows than Lighthouse's defaults, since the corpus is on loopback.
/// </summary>
internal sealed class LighthouseRunner
{
    private const string Config = """
        {
          "extends": "lighthouse:default",
          "settings": {
            "onlyAudits": ["metrics", "network-requests"],
            "throttlingMethod": "provided",
            "formFactor": "desktop",
            "screenEmulation": { "mobile": false, "width": 1350, "height": 940, "deviceScaleFactor": 1, "disabled": false },
            "pauseAfterFcpMs": 1000,
            "pauseAfterLoadMs": 1000,
            "networkQuietThresholdMs": 1000,
            "cpuQuietThresholdMs": 1000,
            "maxWaitForLoad": 45000
          }
        }
        """;

    private readonly string _lighthouse;

    public LighthouseRunner(string nodeModules)
    {
        _lighthouse = Path.Combine(nodeModules, ".bin", "lighthouse");
        if (!File.Exists(_lighthouse))
            throw new BenchFailure($"Lighthouse is not installed in {nodeModules}: npm install --prefix .tools/corpus lighthouse@12");
        if (!File.Exists("/usr/bin/chromium"))
            throw new BenchFailure("Debian's chromium is not installed: apt-get install chromium (./test.sh installs it)");
    }

    /// <summary>One load of <paramref name="url"/>; Lighthouse's JSON report is copied to <paramref name="saveAs"/> when one is given.</summary>
    public async Task<ChromiumPaint> MeasureAsync(Uri url, string? saveAs = null)
    {
        var folder = Directory.CreateTempSubdirectory("fetchagent-lighthouse-").FullName;
        try
        {
            var config = Path.Combine(folder, "config.json");
            var report = Path.Combine(folder, "report.json");
            await File.WriteAllTextAsync(config, Config);
            var start = new ProcessStartInfo(_lighthouse)
            {
                ArgumentList =
                {
                    url.AbsoluteUri, "--quiet", "--output=json", $"--output-path={report}", $"--config-path={config}",
                    "--chrome-flags=--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync",
                },
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            start.Environment["CHROME_PATH"] = "/usr/bin/chromium";
            using var process = Process.Start(start) ?? throw new BenchFailure("lighthouse did not start");
            var stderr = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0 || !File.Exists(report))
                throw new BenchFailure($"lighthouse {url} exited {process.ExitCode}: {await stderr}");
            if (saveAs is not null)
                File.Copy(report, saveAs, overwrite: true);
            return LighthouseReport.Parse(await File.ReadAllTextAsync(report));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
