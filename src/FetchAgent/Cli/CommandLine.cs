using System.Reflection;

namespace FetchAgent.Cli;

/// <summary>The executable's commands: <c>load</c>, <c>compare</c>, <c>serve</c>.</summary>
internal static class CommandLine
{
    private const string ServeUsage = """
          fetchagent serve [--urls http://127.0.0.1:5080] [--db data/fetchagent.db]
        """;

    private const string LoadUsage = """
          fetchagent load URL [load options] [--json] [--no-color] [--db PATH] [--save] [--har FILE]
                              [--runs N]   (a warm-up load, then N runs; prints the median run)
                              [--trace]   (every pool and connection decision on stderr, one * line each, as curl -v)
                              [--budget actualMs=3000,perceivedMs=1500,bytes=2000000,objects=100]   (exit 3 when over)
                              [--proxy-user USER:PASS]   (Basic credentials for the proxy's 407; never stored or shown)
        """;

    private static readonly string CompareUsage = $"""
          fetchagent compare URL --strategies serial,parallel,persistent,pipelined [--runs N] [load options] [--json]
                             {LoadOptionsHelp.Sweeps}   (a sweep: every strategy with every value)
        """;

    /// <summary>Every load option, from the catalogue: flag, meaning, range, default.</summary>
    private static readonly string LoadOptionsUsage = "\n" + LoadOptionsHelp.Heading + "\n" + LoadOptionsHelp.Table;

    private const string Trailer = """

        Options take their value as --name value or --name=value. --help (-h) after any command shows its usage,
        --version (-V) the version. Exit codes: 0 the load ran, 1 the document could not be fetched, 2 bad arguments,
        3 a --budget was exceeded. Without --proxy, http_proxy, https_proxy, all_proxy and no_proxy (or upper case) apply.
        """;

    public static string Usage => string.Join('\n', "usage:", ServeUsage, LoadUsage, CompareUsage, WhatIfCommand.Usage, LoadOptionsUsage) + "\n" + Trailer;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        args = SplitEquals(args);
        try
        {
            return args switch
            {
                ["--version" or "-V", ..] => Write(stdout, $"fetchagent {Version}"),
                ["--help" or "-h" or "help"] => Write(stdout, Usage),
                ["help", var command, ..] => Write(stdout, CommandUsage(command)),
                [var command, .. var rest] when rest.Any(a => a is "--help" or "-h") && command is "load" or "compare" or "serve" or "what-if" => Write(stdout, CommandUsage(command)),
                ["load", .. var rest] => await LoadCommand.RunAsync(LoadArguments.Parse(rest, compare: false), stdout, stderr, cancellationToken),
                ["compare", .. var rest] => await CompareCommand.RunAsync(LoadArguments.Parse(rest, compare: true), stdout, stderr, cancellationToken),
                ["serve", .. var rest] => await ServeCommand.RunAsync(ServeArguments.Parse(rest), stderr, cancellationToken),
                ["what-if", .. var rest] => await WhatIfCommand.RunAsync(rest, stdout, stderr, cancellationToken),
                [] => throw new UsageException("a command is needed: serve, load, compare, what-if (--help for usage)"),
                [var other, ..] => throw new UsageException($"unknown command '{other}': serve, load, compare, what-if"),
            };
        }
        catch (UsageException e)
        {
            await stderr.WriteLineAsync($"fetchagent: {e.Message}");
            return 2;
        }
    }

    /// <summary>The product's version, from the assembly (Directory.Build.props' Version).</summary>
    public static string Version =>
        typeof(CommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(CommandLine).Assembly.GetName().Version?.ToString() ?? "0";

    private static string CommandUsage(string command) => command switch
    {
        "load" => string.Join('\n', "usage:", LoadUsage, LoadOptionsUsage, Trailer),
        "compare" => string.Join('\n', "usage:", CompareUsage, LoadOptionsUsage, Trailer),
        "serve" => string.Join('\n', "usage:", ServeUsage, Trailer),
        "what-if" => string.Join('\n', "usage:", WhatIfCommand.Usage, Trailer),
        _ => throw new UsageException($"unknown command '{command}': serve, load, compare, what-if"),
    };

    /// <summary><c>--name=value</c> is <c>--name value</c>, as curl and most CLIs take it.</summary>
    internal static string[] SplitEquals(string[] args) =>
        [.. args.SelectMany(a => a.StartsWith("--", StringComparison.Ordinal) && a.IndexOf('=') is > 2 and var at ? new[] { a[..at], a[(at + 1)..] } : [a])];

    private static int Write(TextWriter stdout, string text)
    {
        stdout.WriteLine(text);
        return 0;
    }
}
