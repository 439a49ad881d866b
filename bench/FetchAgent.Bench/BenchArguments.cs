namespace FetchAgent.Bench;

/// <summary>
/// The benches' command lines: the command word, then <c>--name value</c> pairs (and bare flags), each read by one
/// option of the bench's table; the first wrong argument ends the reading with an error that names it.
/// </summary>
internal static class BenchArguments
{
    /// <summary>One option: its name, whether it takes a value, and how it changes the options read so far (null and an error when the value is wrong).</summary>
    public sealed record Option<T>(string Name, bool TakesValue, Func<T, string, (T? Options, string? Error)> Apply)
        where T : class;

    /// <summary>An integer option within <paramref name="min"/>..<paramref name="max"/> (<see cref="BenchOptions.TryInt"/>).</summary>
    public static Option<T> Int<T>(string name, int min, int max, Func<T, int, T> set)
        where T : class =>
        new(name, true, (options, text) => BenchOptions.TryInt(text, min, max, out var value, out var error, name) ? (set(options, value), null) : (null, error));

    /// <summary>A text option; <paramref name="check"/> returns an error for a value it refuses.</summary>
    public static Option<T> Text<T>(string name, Func<T, string, T> set, Func<string, string?>? check = null)
        where T : class =>
        new(name, true, (options, text) => check?.Invoke(text) is { } error ? (null, $"{name}: {error}") : (set(options, text), null));

    /// <summary>A flag, which takes no value.</summary>
    public static Option<T> Flag<T>(string name, Func<T, T> set)
        where T : class =>
        new(name, false, (options, _) => (set(options), null));

    /// <summary><c>--help</c> or <c>-h</c> anywhere on the line.</summary>
    public static bool AsksForHelp(IReadOnlyList<string> args) => args.Any(a => a is "--help" or "-h");

    /// <returns>The options, or null with <paramref name="error"/> set (or <paramref name="help"/> true for <c>--help</c>/<c>-h</c>).</returns>
    /// <param name="args">The whole command line; <c>args[0]</c> is the command word, already chosen by the caller.</param>
    public static T? Parse<T>(IReadOnlyList<string> args, T defaults, IReadOnlyList<Option<T>> table, out string? error, out bool help)
        where T : class
    {
        error = null;
        help = AsksForHelp(args);
        if (help)
            return null;
        var options = defaults;
        for (var i = 1; i < args.Count; i++)
        {
            var name = args[i];
            var option = table.FirstOrDefault(o => o.Name == name);
            if (option is null)
            {
                error = $"unknown option '{name}'";
                return null;
            }

            var value = "";
            if (option.TakesValue)
            {
                if (++i >= args.Count)
                {
                    error = $"{name}: a value is required";
                    return null;
                }

                value = args[i];
            }

            (var next, error) = option.Apply(options, value);
            if (next is null)
                return null;
            options = next;
        }

        return options;
    }
}
