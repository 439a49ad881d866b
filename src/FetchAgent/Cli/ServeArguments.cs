namespace FetchAgent.Cli;

/// <summary>The arguments of <c>serve</c>.</summary>
internal sealed record ServeArguments(string? Urls, string? Database)
{
    public static ServeArguments Parse(IReadOnlyList<string> args)
    {
        var parsed = new ServeArguments(null, null);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new UsageException($"{arg} needs a value");
            parsed = arg switch
            {
                "--urls" => parsed with { Urls = Value() },
                "--db" => parsed with { Database = Value() },
                _ => throw new UsageException($"serve: unknown argument {arg}"),
            };
        }

        if (parsed.Urls is { } urls && urls.Split(';').Any(u => !Uri.TryCreate(u, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            throw new UsageException($"--urls must be absolute http(s) URLs separated by ';', not '{urls}'");
        return parsed;
    }
}
