using FetchAgent.Access;
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
        catch (Exception e) when (e is MigrationException or DatabaseUnusableException or ListenRefusedException)
        {
            // One line that says what to fix; a stack trace would only bury it.
            await stderr.WriteLineAsync($"fetchagent: {e.Message}");
            return 1;
        }

        await using (app)
        {
            try
            {
                await app.RunAsync(cancellationToken);
            }
            catch (Exception e) when (StorageFailure.From(e) is { } failure)
            {
                // The start-up work after the check (marking crashed loads failed) met a failing disk.
                await stderr.WriteLineAsync($"fetchagent: database {app.Services.GetRequiredService<IDatabase>().Location} cannot be used: {failure.Cause}");
                return 1;
            }
        }

        return 0;
    }
}
