using System.Globalization;
using FetchAgent.Engine.Page;

namespace FetchAgent.Bench;

/// <summary>The command line of <c>pageload</c>; <see cref="Parse"/> names the argument that is wrong.</summary>
public sealed record BenchOptions
{
    public const int WarmUpLoads = 3;

    /// <summary>The loader counts the document in <c>maxObjects</c> (default 500), so 499 sub-resources fit.</summary>
    public const int MaxSubResources = 499;

    public int Runs { get; init; } = 30;
    public int Objects { get; init; } = 100;

    /// <summary>Seed of the generated page's sizes and bytes, so two runs fetch the same page.</summary>
    public int Seed { get; init; } = 20_260_101;

    public const string Usage = """
        usage: FetchAgent.Bench pageload [--runs N] [--objects N] [--seed N]

        Serves a generated page from two real nginx processes (127.0.0.1 and 127.0.0.2),
        then loads it alternately with FetchAgent's PageLoader (persistent, 2 connections
        per host) and with a plain HttpClient (SocketsHttpHandler, 2 connections per server,
        a new handler per run) that fetches the document and then the same sub-resource
        URLs concurrently. Prints wall time, allocated bytes and process CPU time per client.

          --runs N      measured loads per client, 1..1000 (default 30); 3 warm-up loads each come first
          --objects N   sub-resources of the page, 1..499 (default 100): ~10% stylesheets,
                        ~10% scripts (10 each at most), 2 of the images referenced from CSS url()
          --seed N      seed of the generated sizes and bytes (default 20260101)
          --help        this text

        exit codes: 0 measured, 1 a load failed or fetched something unexpected, 2 bad arguments
        """;

    /// <returns>The options, or null with <paramref name="error"/> set (or <paramref name="help"/> true).</returns>
    public static BenchOptions? Parse(IReadOnlyList<string> args, out string? error, out bool help)
    {
        if ((args.Count == 0 || args[0] != "pageload") && !BenchArguments.AsksForHelp(args))
        {
            (error, help) = (args.Count == 0 ? "a command is required: pageload or storage" : $"unknown command '{args[0]}': expected pageload or storage", false);
            return null;
        }

        return BenchArguments.Parse(args, new BenchOptions(),
        [
            BenchArguments.Int<BenchOptions>("--runs", 1, 1000, (o, v) => o with { Runs = v }),
            BenchArguments.Int<BenchOptions>("--objects", 1, MaxSubResources, (o, v) => o with { Objects = v }),
            BenchArguments.Int<BenchOptions>("--seed", int.MinValue, int.MaxValue, (o, v) => o with { Seed = v }),
        ], out error, out help);
    }

    internal static bool TryInt(string text, int min, int max, out int value, out string? error, string name)
    {
        error = null;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) || value < min || value > max)
        {
            error = $"{name}: '{text}' is not an integer between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}";
            return false;
        }

        return true;
    }
}
