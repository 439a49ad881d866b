using FetchAgent.Cli;

namespace FetchAgent.Tests.Cli;

/// <summary>Runs the command line in-process as a user would type it, capturing what it prints.</summary>
internal static class Cli
{
    public static async Task<(int Exit, string Stdout, string Stderr)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CommandLine.RunAsync(args, stdout, stderr, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
