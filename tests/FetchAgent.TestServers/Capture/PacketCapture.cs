using System.Diagnostics;

namespace FetchAgent.TestServers.Capture;

/// <summary>
/// A real <c>tcpdump</c> on the loopback interface, writing nanosecond timestamps to a pcap file, limited to the
/// test's server ports. An outside observer of what FetchAgent did on the wire: its clock is the kernel's.
/// </summary>
public sealed class PacketCapture : IAsyncDisposable
{
    private readonly Process _process;
    private int _stopped;

    private PacketCapture(Process process, string path)
    {
        _process = process;
        FilePath = path;
    }

    public string FilePath { get; }

    public static string Executable =>
        new[] { "/usr/bin/tcpdump", "/usr/sbin/tcpdump" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("tcpdump is not installed: ./test.sh installs it (apt-get install tcpdump)");

    /// <summary>Starts capturing TCP to or from any of <paramref name="ports"/> on <c>lo</c>; returns once tcpdump is listening.</summary>
    public static async Task<PacketCapture> StartAsync(IReadOnlyCollection<int> ports)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("fetchagent-capture-").FullName, "loopback.pcap");
        var filter = string.Join(" or ", ports.Select(p => $"tcp port {p}"));
        // The kernel stamps each packet as it passes; tcpdump itself only has to store them. Without --immediate-mode
        // the kernel hands packets over in blocks, so tcpdump wakes rarely and does not compete for the 2 cores with the
        // client it is watching (it did, and delayed the client's reads by milliseconds). -U writes what it got at once;
        // -s 300 keeps the headers and the first bytes of the payload (request lines, TLS record headers).
        var start = new ProcessStartInfo(Executable, ["-i", "lo", "-n", "-U", "-B", "4096", "-s", "300", "--time-stamp-precision=nano", "-w", path, filter])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("tcpdump did not start");
        var capture = new PacketCapture(process, path);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            while (await process.StandardError.ReadLineAsync(deadline.Token) is { } line)
            {
                if (line.Contains("listening on", StringComparison.Ordinal))
                {
                    _ = process.StandardError.ReadToEndAsync(); // keep draining; tcpdump prints counts at exit
                    return capture;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        await capture.DisposeAsync();
        throw new InvalidOperationException($"tcpdump did not start listening (exit {(process.HasExited ? process.ExitCode : -1)}); it needs root or CAP_NET_RAW");
    }

    /// <summary>The segments captured so far (the file is written per packet).</summary>
    public IReadOnlyList<TcpSegment> Segments() => File.Exists(FilePath) ? PcapFile.ReadTcp(FilePath) : [];

    /// <summary>
    /// Waits until <paramref name="done"/> holds for the segments captured so far (e.g. every connection's FIN
    /// seen both ways), then stops tcpdump cleanly and returns every segment. Event-driven with a generous deadline.
    /// </summary>
    public async Task<IReadOnlyList<TcpSegment>> StopWhenAsync(Func<IReadOnlyList<TcpSegment>, bool> done, TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < within && !done(Segments()))
            await Task.Delay(20);
        await StopAsync();
        return Segments();
    }

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
            return;
        if (!_process.HasExited)
        {
            // SIGINT: tcpdump flushes and closes the file (Process.Kill would send SIGKILL).
            using (var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])))
                await kill!.WaitForExitAsync();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }
}
