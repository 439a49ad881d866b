using System.Diagnostics;
using System.Text.Json;

namespace FetchAgent.Bench;

/// <summary>
/// What Chromium observed for one load, ms from navigation start: first contentful paint, Speed Index, the load event,
/// and the first visual change (the first frame that differs from the blank one: WebPageTest's start render).
/// </summary>
public sealed record ChromiumPaint(double FirstContentfulPaintMs, double SpeedIndexMs, double LoadMs, double FirstVisualChangeMs);

/// <summary>
/// Headless Debian chromium driven by Lighthouse (npm, in .tools/corpus): <c>throttlingMethod: provided</c> reports what
/// the browser observed on the real network (no simulated throttling), from the trace: <c>observedFirstContentfulPaint</c>
/// (the paint timing's first contentful paint), <c>observedSpeedIndex</c> (from the screenshots of the trace) and
/// <c>observedLoad</c> (the load event). Desktop screen (1350 x 940), a fresh profile per run (an empty cache), and
/// shorter quiet windows than Lighthouse's defaults, since the corpus is on loopback.
/// </summary>
internal sealed class LighthouseRunner
{
    private const string Config = """
        {
          "extends": "lighthouse:default",
          "settings": {
            "onlyAudits": ["metrics"],
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

    public async Task<ChromiumPaint> MeasureAsync(Uri url)
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
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
            var metrics = json.RootElement.GetProperty("audits").GetProperty("metrics");
            if (!metrics.TryGetProperty("details", out var details))
                throw new BenchFailure($"lighthouse {url}: no metrics ({metrics})");
            var items = details.GetProperty("items")[0];
            return new ChromiumPaint(
                items.GetProperty("observedFirstContentfulPaint").GetDouble(),
                items.GetProperty("observedSpeedIndex").GetDouble(),
                items.GetProperty("observedLoad").GetDouble(),
                items.GetProperty("observedFirstVisualChange").GetDouble());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
