using System.Diagnostics;
using System.Net;

namespace FetchAgent.TestServers;

/// <summary>
/// <c>fetchagent serve</c> in a process of its own, on a free loopback port, configured through its environment
/// (<c>FetchAgent__Name=value</c>): an agent of the tests' and the queue bench's. Its output is read; the last lines of
/// its standard error are kept, to say why it exited if it does.
/// </summary>
public sealed class DaemonProcess : IDisposable
{
    private const int KeptErrorLines = 20;

    private readonly Process _process;
    private readonly Queue<string> _lastErrors = new();

    private DaemonProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    /// <param name="dll">The daemon's <c>FetchAgent.dll</c>.</param>
    /// <param name="settings">Configuration keys under <c>FetchAgent</c> (e.g. <c>AgentName</c>) and their values.</param>
    public static DaemonProcess Start(string dll, string database, IReadOnlyDictionary<string, string> settings)
    {
        var baseUrl = $"http://127.0.0.1:{LoopbackPorts.Free()}";
        var start = new ProcessStartInfo("dotnet", [dll, "serve", "--urls", baseUrl, "--db", database])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in settings)
            start.Environment[$"FetchAgent__{key}"] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"dotnet {dll} serve did not start");
        var daemon = new DaemonProcess(process, baseUrl);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, line) => daemon.KeepError(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return daemon;
    }

    /// <summary>Until <c>/healthz</c> answers 200 (the database migrated and checked); throws when the process exits or <paramref name="deadline"/> passes.</summary>
    public async Task ReadyAsync(TimeSpan deadline)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                _process.WaitForExit(); // the rest of its standard error
                throw new InvalidOperationException($"the daemon at {BaseUrl} exited with {_process.ExitCode}: {LastErrors()}");
            }
            try
            {
                using var response = await http.GetAsync($"{BaseUrl}/healthz");
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
                // No answer in 5 s: a busy machine starting .NET; ask again until the deadline.
            }

            if (waited.Elapsed > deadline)
                throw new TimeoutException($"the daemon at {BaseUrl} was not ready in {deadline.TotalSeconds:0} s");
            await Task.Delay(100);
        }
    }

    private void KeepError(string? line)
    {
        if (line is null)
            return;
        lock (_lastErrors)
        {
            _lastErrors.Enqueue(line);
            if (_lastErrors.Count > KeptErrorLines)
                _lastErrors.Dequeue();
        }
    }

    private string LastErrors()
    {
        lock (_lastErrors)
            return _lastErrors.Count == 0 ? "(nothing on standard error)" : string.Join("\n", _lastErrors);
    }

    /// <summary>SIGKILL: no shutdown, no last write, no lease given back.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
        _process.Dispose();
    }
}
