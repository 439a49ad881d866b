using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FetchAgent.Cli;
using FetchAgent.TestServers;
using Npgsql;

namespace FetchAgent.Tests.Agents;

/// <summary>One agent: <c>fetchagent serve</c> in a process of its own, on a free loopback port.</summary>
internal sealed class AgentProcess : IDisposable
{
    private readonly Process _process;

    private AgentProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    /// <param name="leaseSeconds">The queue lease: how long after a SIGKILL another agent may take the load again.</param>
    public static AgentProcess Start(string agent, string database, int leaseSeconds = 3)
    {
        var port = LoopbackPorts.Free();
        var baseUrl = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet", [typeof(CommandLine).Assembly.Location, "serve", "--urls", baseUrl, "--db", database])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["FetchAgent__AgentName"] = agent;
        start.Environment["FetchAgent__MaxConcurrentLoads"] = "2";
        start.Environment["FetchAgent__QueueLeaseSeconds"] = leaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new AgentProcess(process, baseUrl);
    }

    /// <summary>Until <c>/healthz</c> answers 200 (the database migrated and checked), or 60 s.</summary>
    public async Task ReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(_process.HasExited, $"agent at {BaseUrl} exited with {(_process.HasExited ? _process.ExitCode : 0)}");
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

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"agent at {BaseUrl} not ready in 60 s");
            await Task.Delay(100);
        }
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

    /// <summary>One number from the agents' database, read directly (what the agents stored, not what they say).</summary>
    internal static async Task<long> ScalarAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(TestPostgres.ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
