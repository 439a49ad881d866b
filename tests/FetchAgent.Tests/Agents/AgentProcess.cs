using System.Globalization;
using FetchAgent.Cli;
using FetchAgent.TestServers;
using Npgsql;

namespace FetchAgent.Tests.Agents;

/// <summary>One agent: <c>fetchagent serve</c> in a process of its own (<see cref="DaemonProcess"/>), two loads at a time.</summary>
internal sealed class AgentProcess : IDisposable
{
    private readonly DaemonProcess _daemon;

    private AgentProcess(DaemonProcess daemon) => _daemon = daemon;

    public string BaseUrl => _daemon.BaseUrl;

    /// <param name="leaseSeconds">The queue lease: how long after a SIGKILL another agent may take the load again.</param>
    public static AgentProcess Start(string agent, string database, int leaseSeconds = 3) =>
        new(DaemonProcess.Start(typeof(CommandLine).Assembly.Location, database, new Dictionary<string, string>
        {
            ["AgentName"] = agent,
            ["MaxConcurrentLoads"] = "2",
            ["QueueLeaseSeconds"] = leaseSeconds.ToString(CultureInfo.InvariantCulture),
        }));

    /// <summary>Until <c>/healthz</c> answers 200 (the database migrated and checked), or 60 s.</summary>
    public Task ReadyAsync() => _daemon.ReadyAsync(TimeSpan.FromSeconds(60));

    /// <summary>SIGKILL: no shutdown, no last write, no lease given back.</summary>
    public void Kill() => _daemon.Kill();

    public void Dispose() => _daemon.Dispose();

    /// <summary>One number from the agents' database, read directly (what the agents stored, not what they say).</summary>
    internal static async Task<long> ScalarAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(TestPostgres.ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
