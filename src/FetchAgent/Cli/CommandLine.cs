namespace FetchAgent.Cli;

/// <summary>The executable's commands: <c>load</c>, <c>compare</c>, <c>serve</c>.</summary>
internal static class CommandLine
{
    public const string Usage = """
        usage:
          fetchagent serve [--urls http://127.0.0.1:5080] [--db data/fetchagent.db]
          fetchagent load URL [--strategy persistent] [--max-connections-per-host 2] [--pipeline-depth 4]
                              [--object-timeout-ms 30000] [--connect-timeout-ms 10000] [--max-objects 500]
                              [--max-body-bytes 52428800] [--page-timeout-ms 120000] [--insecure] [--json] [--no-color] [--db PATH] [--save] [--har FILE]
                              [--runs N]   (a warm-up load, then N runs; prints the median run)
          fetchagent compare URL --strategies serial,parallel,persistent,pipelined [--runs N] [load options] [--json]
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        try
        {
            return args switch
            {
                ["load", .. var rest] => await LoadCommand.RunAsync(LoadArguments.Parse(rest, compare: false), stdout, stderr, cancellationToken),
                ["compare", .. var rest] => await CompareCommand.RunAsync(LoadArguments.Parse(rest, compare: true), stdout, stderr, cancellationToken),
                ["serve", .. var rest] => await ServeCommand.RunAsync(ServeArguments.Parse(rest), stderr, cancellationToken),
                ["--help" or "-h" or "help", ..] => Help(stdout),
                [] => throw new UsageException("a command is needed: serve, load, compare"),
                [var other, ..] => throw new UsageException($"unknown command '{other}': serve, load, compare"),
            };
        }
        catch (UsageException e)
        {
            await stderr.WriteLineAsync($"fetchagent: {e.Message}");
            return 2;
        }
    }

    private static int Help(TextWriter stdout)
    {
        stdout.WriteLine(Usage);
        return 0;
    }
}
