using System.Diagnostics;
using System.Net;

namespace FetchAgent.TestServers;

/// <summary>
/// nghttpd (Debian's nghttp2-server) serving a folder over h2c on a free port: HTTP/2 with prior knowledge only,
/// and the awkward cases its options make (few concurrent streams, small windows, padding).
/// </summary>
public sealed class NghttpdOrigin : IAsyncDisposable
{
    private readonly Process _process;

    private NghttpdOrigin(string root, IPAddress address, int port, Process process)
    {
        Root = root;
        Address = address;
        Port = port;
        _process = process;
    }

    public string Root { get; }

    public IPAddress Address { get; }

    public int Port { get; }

    public Uri Url(string path) => new($"http://{Address}:{Port}{path}");

    public static string Executable =>
        new[] { "/usr/sbin/nghttpd", "/usr/bin/nghttpd" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("nghttpd is not installed: ./test.sh installs it (apt-get install nghttp2-server)");

    /// <param name="files">Relative path → content, written under the document root.</param>
    /// <param name="options">nghttpd's own options, e.g. <c>--max-concurrent-streams=4</c>, <c>--window-bits=10</c>.</param>
    public static async Task<NghttpdOrigin> StartAsync(IReadOnlyDictionary<string, byte[]> files, params string[] options)
    {
        var address = IPAddress.Loopback;
        var root = Directory.CreateTempSubdirectory("fetchagent-nghttpd-").FullName;
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(root, path.TrimStart('/'));
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllBytesAsync(full, content);
        }

        var port = LoopbackPorts.Free(address);
        var process = Process.Start(new ProcessStartInfo(Executable, ["--no-tls", $"--address={address}", $"--htdocs={root}", .. options, port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("nghttpd did not start");

        var origin = new NghttpdOrigin(root, address, port, process);
        for (var i = 0; i < 200; i++)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"nghttpd exited: {await process.StandardError.ReadToEndAsync()}");
            if (await ServerProcess.CanConnectAsync(address, port))
                return origin;
            await Task.Delay(25);
        }

        await origin.DisposeAsync();
        throw new InvalidOperationException("nghttpd did not listen within 5 s");
    }

    public ValueTask DisposeAsync() => ServerProcess.StopAsync(_process, Root);
}
