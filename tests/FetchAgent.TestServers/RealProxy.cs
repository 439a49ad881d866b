using System.Diagnostics;
using System.Net;

namespace FetchAgent.TestServers;

/// <summary>
/// A real forward proxy, Debian's squid or tinyproxy, on a free loopback port with its own config and logs in a temp
/// folder (./test.sh installs both). Run as root (the tests do, for tcpdump), each hands itself to an unprivileged user,
/// so the folder is opened to it.
/// </summary>
public sealed class RealProxy : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _log;

    private RealProxy(string prefix, int port, Process process, string log)
    {
        Prefix = prefix;
        Port = port;
        _process = process;
        _log = log;
    }

    public string Prefix { get; }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>
    /// The access log's lines. squid: <c>client-ip client-port method URL status squid-status</c>, one per request, a
    /// CONNECT when its tunnel closes. tinyproxy: its own log, one <c>Request (file descriptor N): GET URL HTTP/1.1</c> per request.
    /// </summary>
    public IReadOnlyList<string> AccessLog()
    {
        if (!File.Exists(_log))
            return [];
        using var reader = new StreamReader(new FileStream(_log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>
    /// squid as a forward proxy, logging every request with the client's port and its cache result (<c>%Ss</c>);
    /// caching nothing unless <paramref name="caching"/>, then a memory cache (answers it holds come with an Age).
    /// </summary>
    public static Task<RealProxy> SquidAsync(bool caching = false)
    {
        var executable = new[] { "/usr/sbin/squid", "/usr/bin/squid" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("squid is not installed: ./test.sh installs it (apt-get install squid)");
        return StartAsync("squid", executable, (prefix, port) => $"""
            http_port 127.0.0.1:{port}
            pid_filename {prefix}/squid.pid
            logformat fetchagent %>a %>p %rm %ru %>Hs %Ss
            access_log stdio:{prefix}/access.log fetchagent
            cache_log {prefix}/cache.log
            cache_store_log none
            cache {(caching ? "allow" : "deny")} all
            cache_mem 8 MB
            http_access allow all
            coredump_dir {prefix}
            shutdown_lifetime 0 seconds
            visible_hostname fetchagent-test
            netdb_filename none
            pinger_enable off
            {(Environment.UserName == "root" ? "cache_effective_user proxy" : "")}
            """, "squid.conf", "access.log", config => ["-N", "-f", config]);
    }

    /// <summary>tinyproxy, asking for Basic credentials when <paramref name="user"/> is given.</summary>
    public static Task<RealProxy> TinyproxyAsync(string? user = null, string? password = null)
    {
        var executable = new[] { "/usr/bin/tinyproxy", "/usr/sbin/tinyproxy" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("tinyproxy is not installed: ./test.sh installs it (apt-get install tinyproxy)");
        return StartAsync("tinyproxy", executable, (prefix, port) => $"""
            {(Environment.UserName == "root" ? "User nobody\nGroup nogroup" : "")}
            Port {port}
            Listen 127.0.0.1
            Timeout 60
            LogFile "{prefix}/tinyproxy.log"
            LogLevel Info
            PidFile "{prefix}/tinyproxy.pid"
            MaxClients 50
            {(user is null ? "" : $"BasicAuth {user} {password}")}
            """, "tinyproxy.conf", "tinyproxy.log", config => ["-d", "-c", config]);
    }

    private static async Task<RealProxy> StartAsync(
        string name, string executable, Func<string, int, string> config, string configName, string logName, Func<string, string[]> arguments)
    {
        var prefix = Directory.CreateTempSubdirectory($"fetchagent-{name}-").FullName;
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(prefix, (UnixFileMode)0x1FF); // 0777: the unprivileged user writes its log and pid here
        var port = LoopbackPorts.Free(IPAddress.Loopback);
        var configPath = Path.Combine(prefix, configName);
        await File.WriteAllTextAsync(configPath, config(prefix, port));
        var process = Process.Start(new ProcessStartInfo(executable, arguments(configPath))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = prefix,
        }) ?? throw new InvalidOperationException($"{name} did not start");
        var proxy = new RealProxy(prefix, port, process, Path.Combine(prefix, logName));
        for (var i = 0; i < 400; i++)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"{name} exited: {await process.StandardError.ReadToEndAsync()}");
            if (await ServerProcess.CanConnectAsync(IPAddress.Loopback, port))
                return proxy;
            await Task.Delay(25);
        }

        await proxy.DisposeAsync();
        throw new InvalidOperationException($"{name} did not listen within 10 s");
    }

    public ValueTask DisposeAsync() => ServerProcess.StopAsync(_process, Prefix);
}
