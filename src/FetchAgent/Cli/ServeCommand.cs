using FetchAgent.Daemon;
using FetchAgent.Storage;

namespace FetchAgent.Cli;

/// <summary><c>serve</c>: the daemon, until Ctrl-C or SIGTERM.</summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(ServeArguments arguments, TextWriter stderr, CancellationToken cancellationToken)
    {
        WebApplication app;
        try
        {
            app = await DaemonHost.BuildAsync(arguments.Urls, arguments.Database);
        }
        catch (MigrationException e)
        {
            await stderr.WriteLineAsync($"fetchagent: {e.Message}");
            return 1;
        }

        await using (app)
            await app.RunAsync(cancellationToken);
        return 0;
    }
}
