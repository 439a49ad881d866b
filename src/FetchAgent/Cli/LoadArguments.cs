using System.Globalization;
using FetchAgent.Engine.Model;

namespace FetchAgent.Cli;

/// <summary>The arguments of <c>load</c> and <c>compare</c>: a URL, the contract's load options, output switches.</summary>
internal sealed record LoadArguments(Uri Url, LoadOptions Options)
{
    public bool Json { get; init; }
    public bool NoColor { get; init; }
    public string? Database { get; init; }
    public bool Save { get; init; }
    public string? HarFile { get; init; }

    /// <summary><c>--trace</c> (load only, one load): the engine's pool and connection decisions on stderr.</summary>
    public bool Trace { get; init; }

    /// <summary><c>--proxy-user user:pass</c>: Basic credentials for the proxy, in memory for this run only.</summary>
    public Engine.Navigation.ProxyCredentials? ProxyUser { get; init; }

    /// <summary><c>--budget</c>: limits the load must keep (exit 3 otherwise).</summary>
    public PerformanceBudget? Budget { get; init; }
    public IReadOnlyList<ConnectionStrategy> Strategies { get; init; } = [];

    /// <summary><c>--runs N</c>: a warm-up load, then N recorded runs (each strategy per run for compare); null when not given.</summary>
    public int? Runs { get; init; }

    /// <summary><c>compare --max-connections-per-host 1,2,4,6</c> (or <c>--pipeline-depth 1,2,4</c>): the option swept, by its API name; null without a sweep.</summary>
    public string? SweepOption { get; init; }

    /// <summary>The swept option's values, in the order given.</summary>
    public IReadOnlyList<int> SweepValues { get; init; } = [];

    public static LoadArguments Parse(IReadOnlyList<string> args, bool compare)
    {
        string? url = null;
        var options = new LoadOptions();
        var parsed = new LoadArguments(new Uri("http://unset.invalid/"), options);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new UsageException($"{arg} needs a value");
            switch (arg)
            {
                case "--strategies":
                    parsed = parsed with { Strategies = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => ParseStrategy(s, arg)).ToList() };
                    break;
                case "--json":
                    parsed = parsed with { Json = true };
                    break;
                case "--no-color":
                    parsed = parsed with { NoColor = true };
                    break;
                case "--db":
                    parsed = parsed with { Database = Value() };
                    break;
                case "--save":
                    parsed = parsed with { Save = true };
                    break;
                case "--budget":
                    parsed = parsed with { Budget = PerformanceBudget.Parse(Value()) };
                    break;
                case "--proxy-user":
                    parsed = parsed with { ProxyUser = Engine.Navigation.ProxyCredentials.Parse(Value()) };
                    break;
                case "--har":
                    parsed = parsed with { HarFile = Value() };
                    break;
                case "--trace":
                    if (compare)
                        throw new UsageException("--trace traces one load: use it with load");
                    parsed = parsed with { Trace = true };
                    break;
                case "--runs":
                    parsed = parsed with { Runs = ParseInt(Value(), arg) };
                    if (parsed.Runs is < 1 or > Api.ComparisonsApi.MaxRuns)
                        throw new UsageException($"--runs must be between 1 and {Api.ComparisonsApi.MaxRuns}");
                    break;
                default:
                    if (LoadOptions.Catalog.FindFlag(arg) is { } option)
                    {
                        var value = option.TakesValue ? Value() : null;
                        if (value is not null && value.Contains(',') && option is WholeNumberOption { Sweepable: true } swept)
                        {
                            parsed = parsed.Sweep(swept, arg, value, compare);
                        }
                        else
                        {
                            options = option.Parse(options, value, out var problem);
                            if (problem is not null)
                                throw new UsageException(problem);
                        }

                        break;
                    }

                    if (arg.StartsWith('-'))
                        throw new UsageException($"unknown option {arg}");
                    if (url is not null)
                        throw new UsageException($"unexpected argument {arg}: one URL only");
                    url = arg;
                    break;
            }
        }

        if (LoadOptions.ValidateUrl(url, out var uri) is { } urlProblem)
            throw new UsageException($"url {urlProblem}");
        foreach (var (field, problem) in options.Validate())
            throw new UsageException($"{Flag(field)} {problem}");
        foreach (var value in parsed.SweepValues)
        {
            foreach (var (field, problem) in parsed.WithSweep(options, value).Validate())
                throw new UsageException($"{Flag(field)} {value}: {problem}");
        }

        if (parsed.Trace && parsed.Runs is not null)
            throw new UsageException("--trace traces one load: leave out --runs");
        if (compare && parsed.Strategies.Count == 0)
            throw new UsageException($"--strategies needs at least one of {ConnectionStrategyNames.List}");
        return parsed with { Url = uri!, Options = options };
    }

    /// <summary><paramref name="options"/> with the swept option set to <paramref name="value"/>.</summary>
    public LoadOptions WithSweep(LoadOptions options, int value) =>
        SweepOption is not null && LoadOptions.Catalog.Find(SweepOption) is WholeNumberOption swept ? swept.With(options, value) : options;

    /// <summary><c>compare --pipeline-depth 1,2,4</c>: the option's values, one load per strategy per value.</summary>
    private LoadArguments Sweep(WholeNumberOption option, string arg, string list, bool compare)
    {
        if (!compare)
            throw new UsageException($"{arg}: a list of values sweeps the option, and only compare sweeps");
        if (SweepOption is { } other && other != option.Name)
            throw new UsageException($"{arg}: only one option may be swept at a time");
        var values = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => checked((int)(option.ParseNumber(v, out var problem) ?? throw new UsageException(problem!))))
            .ToList();
        if (values.Count > Api.ComparisonsApi.MaxSweepValues || values.Distinct().Count() != values.Count)
            throw new UsageException($"{arg}: a sweep takes 1 to {Api.ComparisonsApi.MaxSweepValues} different values");
        return this with { SweepOption = option.Name, SweepValues = values };
    }

    private static string Flag(string field) => LoadOptions.Catalog.Find(field)?.Flag ?? field;

    private static ConnectionStrategy ParseStrategy(string value, string option) =>
        ConnectionStrategyNames.TryParse(value, out var strategy)
            ? strategy
            : throw new UsageException($"{option}: unknown strategy '{value}' ({ConnectionStrategyNames.List})");

    private static int ParseInt(string value, string option) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw new UsageException($"{option} must be a whole number, not '{value}'");
}
