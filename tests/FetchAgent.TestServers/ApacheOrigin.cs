using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace FetchAgent.TestServers;

/// <summary>
/// A real Apache httpd serving a folder on a free loopback port, as <see cref="NginxOrigin"/> runs nginx: its own
/// ServerRoot, config, pid file and logs in a temporary folder, in the foreground, no system service. The event MPM
/// and the few modules it needs are loaded explicitly from Debian's module folder. The access log records each
/// request's client port (<c>%{remote}p</c>) and the connection's keep-alive request count (<c>%k</c>: 0 for the
/// first request, 1 for the next…), and the request's Connection field, so a test can match the document's 4-tuple,
/// count requests per connection and see which request asked to close.
/// </summary>
public sealed class ApacheOrigin : IAsyncDisposable
{
    private readonly Process _process;

    private ApacheOrigin(string prefix, int port, Process process)
    {
        Prefix = prefix;
        Port = port;
        _process = process;
    }

    public string Prefix { get; }
    public int Port { get; }
    public Uri Url(string path) => new($"http://127.0.0.1:{Port}{path}");

    /// <summary>Lines of the access log: <c>remote_port keepalive_count "Connection request field" "request line" status</c>.</summary>
    public IReadOnlyList<string> AccessLog() =>
        File.Exists(Path.Combine(Prefix, "access.log")) ? File.ReadAllLines(Path.Combine(Prefix, "access.log")) : [];

    public static string Executable =>
        new[] { "/usr/sbin/apache2", "/usr/sbin/httpd" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("Apache httpd is not installed: ./test.sh installs it (apt-get install apache2)");

    private static string Modules =>
        new[] { "/usr/lib/apache2/modules", "/usr/lib64/httpd/modules" }.FirstOrDefault(Directory.Exists)
        ?? throw new InvalidOperationException("Apache's modules are not installed: ./test.sh installs them (apt-get install apache2)");

    /// <param name="files">Relative path → content, written under the document root.</param>
    /// <param name="extraConfig">Directives for the server, e.g. "MaxKeepAliveRequests 3".</param>
    public static async Task<ApacheOrigin> StartAsync(IReadOnlyDictionary<string, byte[]> files, string extraConfig = "")
    {
        var prefix = Directory.CreateTempSubdirectory("fetchagent-apache-").FullName;
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(prefix, "html", path.TrimStart('/'));
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllBytesAsync(full, content);
        }

        // Run as root (the tests do, for tcpdump), httpd hands its workers to an unprivileged user, which must be
        // able to read the document root; the temporary folder is created 0700.
        var root = Environment.UserName == "root";
        if (root && !OperatingSystem.IsWindows())
        {
            foreach (var directory in Directory.EnumerateDirectories(prefix, "*", SearchOption.AllDirectories).Prepend(prefix))
                File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
            foreach (var file in Directory.EnumerateFiles(Path.Combine(prefix, "html"), "*", SearchOption.AllDirectories))
                File.SetUnixFileMode(file, (UnixFileMode)0b110_100_100);
        }

        var port = LoopbackPorts.Free(IPAddress.Loopback);
        var config = $$"""
            ServerRoot "{{prefix}}"
            ServerName 127.0.0.1
            LoadModule mpm_event_module {{Modules}}/mod_mpm_event.so
            LoadModule authz_core_module {{Modules}}/mod_authz_core.so
            LoadModule mime_module {{Modules}}/mod_mime.so
            {{(root ? "User nobody\nGroup nogroup" : "")}}
            Listen 127.0.0.1:{{port}}
            PidFile "{{prefix}}/httpd.pid"
            Mutex file:{{prefix}} default
            ErrorLog "{{prefix}}/error.log"
            LogLevel warn
            LogFormat "%{remote}p %k \"%{Connection}i\" \"%r\" %>s" connection
            CustomLog "{{prefix}}/access.log" connection
            DocumentRoot "{{prefix}}/html"
            <Directory "{{prefix}}/html">
              Require all granted
            </Directory>
            TypesConfig /dev/null
            AddType text/html .html
            AddType text/css .css
            AddType image/png .png
            StartServers 1
            ServerLimit 1
            ThreadsPerChild 16
            MaxRequestWorkers 16
            KeepAlive On
            {{extraConfig}}
            """;
        var configPath = Path.Combine(prefix, "httpd.conf");
        await File.WriteAllTextAsync(configPath, config);
        var process = Process.Start(new ProcessStartInfo(Executable, ["-d", prefix, "-f", configPath, "-DFOREGROUND"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("Apache httpd did not start");

        var origin = new ApacheOrigin(prefix, port, process);
        for (var i = 0; i < 400; i++)
        {
            if (process.HasExited)
            {
                var error = await process.StandardError.ReadToEndAsync();
                var log = File.Exists(Path.Combine(prefix, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(prefix, "error.log")) : "";
                await origin.DisposeAsync();
                throw new InvalidOperationException($"Apache httpd exited: {error} {log}");
            }

            if (await ServerProcess.CanConnectAsync(IPAddress.Loopback, port))
                return origin;
            await Task.Delay(25);
        }

        await origin.DisposeAsync();
        throw new InvalidOperationException("Apache httpd did not listen within 10 s");
    }



    public ValueTask DisposeAsync() => ServerProcess.StopAsync(_process, Prefix);
}
