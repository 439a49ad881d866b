using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace FetchAgent.TestServers;

/// <summary>
/// A real nginx serving a folder on a free loopback port, with its own prefix, config and logs in a
/// temporary folder. The access log records each request's client port, so a test can match it to
/// the document's 4-tuple.
/// </summary>
public sealed class NginxOrigin : IAsyncDisposable
{
    private readonly Process _process;

    private NginxOrigin(string prefix, IPAddress address, int port, Process process, bool https)
    {
        Prefix = prefix;
        Address = address;
        Port = port;
        _process = process;
        Https = https;
    }

    public bool Https { get; }

    public string Prefix { get; }
    public string Root => Path.Combine(Prefix, "html");
    /// <summary>The loopback address nginx listens on (127.0.0.1 unless another was asked for).</summary>
    public IPAddress Address { get; }
    public int Port { get; }
    public Uri Url(string path) => new($"{(Https ? "https" : "http")}://{Address}:{Port}{path}");

    /// <summary>Lines of the access log: "remote_port connection_number connection_requests request_line status".</summary>
    public IReadOnlyList<string> AccessLog() =>
        File.Exists(Path.Combine(Prefix, "access.log")) ? File.ReadAllLines(Path.Combine(Prefix, "access.log")) : [];

    public static string Executable =>
        new[] { "/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("nginx is not installed: ./test.sh installs it (apt-get install nginx)");

    /// <param name="files">Relative path → content, written under the document root.</param>
    /// <param name="extraHttpConfig">Directives for the http block, e.g. "keepalive_requests 3;".</param>
    /// <param name="listenAddress">
    /// Where to listen; 127.0.0.1 by default. Linux routes all of 127.0.0.0/8 to loopback, so 127.0.0.2
    /// gives a second host without any setup.
    /// </param>
    /// <param name="https">Serve https with <see cref="TestCertificates.Localhost"/> (TLS 1.3, no session tickets: every record
    /// the server sends after the handshake belongs to a response, which a packet capture relies on).</param>
    /// <param name="serverConfig">Directives for the server block, e.g. per-location caching headers.</param>
    /// <param name="http2">With <paramref name="https"/>: offer h2 in ALPN (<c>listen … ssl http2</c>), and log <c>$server_protocol</c> last.</param>
    /// <param name="delay">Hold every response this long before answering (the echo module's <c>echo_sleep</c>), like a server's think time.</param>
    public static async Task<NginxOrigin> StartAsync(
        IReadOnlyDictionary<string, byte[]> files, string extraHttpConfig = "", IPAddress? listenAddress = null, bool https = false, TimeSpan delay = default,
        string serverConfig = "", bool http2 = false)
    {
        var address = listenAddress ?? IPAddress.Loopback;
        var prefix = Directory.CreateTempSubdirectory("fetchagent-nginx-").FullName;
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(prefix, "html", path.TrimStart('/'));
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllBytesAsync(full, content);
        }

        var port = LoopbackPorts.Free(address);
        var tls = "";
        if (https)
        {
            var certificate = TestCertificates.Localhost;
            await File.WriteAllTextAsync(Path.Combine(prefix, "cert.pem"), certificate.ExportCertificatePem());
            await File.WriteAllTextAsync(Path.Combine(prefix, "key.pem"), certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
            tls = $"ssl_certificate {prefix}/cert.pem; ssl_certificate_key {prefix}/key.pem; ssl_session_tickets off; ssl_session_cache off;";
        }

        var module = delay > TimeSpan.Zero ? $"load_module {EchoModule};" : "";
        var locations = delay > TimeSpan.Zero
            ? $"location / {{ echo_sleep {delay.TotalSeconds.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)}; echo_exec @static; }} location @static {{ }}"
            : "";
        var config = $$"""
            {{module}}
            worker_processes 1;
            daemon off;
            master_process off;
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/error.log warn;
            events { worker_connections 256; }
            http {
              types { text/html html; text/css css; text/javascript js; image/png png; font/woff2 woff2; }
              default_type application/octet-stream;
              log_format conn '$remote_port $connection $connection_requests "$request" $status{{(http2 ? " $server_protocol" : "")}}';
              access_log {{prefix}}/access.log conn;
              client_body_temp_path {{prefix}}/tmp;
              proxy_temp_path {{prefix}}/tmp;
              fastcgi_temp_path {{prefix}}/tmp;
              uwsgi_temp_path {{prefix}}/tmp;
              scgi_temp_path {{prefix}}/tmp;
              {{extraHttpConfig}}
              server {
                listen {{address}}:{{port}}{{(https ? " ssl" : "")}}{{(http2 ? " http2" : "")}};
                root {{prefix}}/html;
                {{tls}}
                {{locations}}
                {{serverConfig}}
              }
            }
            """;
        Directory.CreateDirectory(Path.Combine(prefix, "tmp"));
        var configPath = Path.Combine(prefix, "nginx.conf");
        await File.WriteAllTextAsync(configPath, config);
        var process = Process.Start(new ProcessStartInfo(Executable, ["-p", prefix, "-c", configPath])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("nginx did not start");

        var origin = new NginxOrigin(prefix, address, port, process, https);
        for (var i = 0; i < 200; i++)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"nginx exited: {await process.StandardError.ReadToEndAsync()} {ReadOrEmpty(Path.Combine(prefix, "error.log"))}");
            if (await ServerProcess.CanConnectAsync(address, port))
                return origin;
            await Task.Delay(25);
        }

        await origin.DisposeAsync();
        throw new InvalidOperationException("nginx did not listen within 5 s");
    }

    /// <summary>Debian's libnginx-mod-http-echo, for a server-side delay (./test.sh installs it).</summary>
    public static string EchoModule =>
        new[] { "/usr/lib/nginx/modules/ngx_http_echo_module.so", "/usr/share/nginx/modules/ngx_http_echo_module.so" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("nginx's echo module is not installed: ./test.sh installs it (apt-get install libnginx-mod-http-echo)");

    private static string ReadOrEmpty(string path) => File.Exists(path) ? File.ReadAllText(path) : "";



    public ValueTask DisposeAsync() => ServerProcess.StopAsync(_process, Prefix);
}
