using System.Globalization;
using FetchAgent.Engine.Model;

namespace FetchAgent.Tests.Options;

/// <summary>
/// One value of one load option as a user gives it: the command-line arguments (after the URL) and the REST body's
/// field, and what must come of it: the option's value in the options, or the problem each side reports. Generated
/// from <see cref="LoadOptions.Catalog"/> by kind, so a new option gets every case without a new test; the message
/// templates here are the contract's and are spelled out, not taken from the code under test.
/// </summary>
public sealed record OptionCase(
    LoadOptionDescriptor Option, string Behaviour, string[] Arguments, string? Json, object? Expected, string? CliProblem, string? RestProblem)
{
    /// <summary>Every case of every option, by kind.</summary>
    public static IReadOnlyList<OptionCase> All { get; } = [.. LoadOptions.Catalog.SelectMany(Cases)];

    public static TheoryData<string, string> Accepted => Data(c => c.CliProblem is null && c.RestProblem is null);

    public static TheoryData<string, string> Rejected => Data(c => c.CliProblem is not null || c.RestProblem is not null);

    public static OptionCase Find(string option, string behaviour) => All.Single(c => c.Option.Name == option && c.Behaviour == behaviour);

    /// <summary><c>--flag=value</c>: the same arguments as one, as curl and most CLIs take them.</summary>
    public string[] EqualsForm => Arguments is [var flag, var value] ? [$"{flag}={value}"] : Arguments;

    /// <summary>The body <c>{ "url": ..., field: value }</c>, or with the URL only when the case leaves the field out.</summary>
    public string Body(string url) => Json is null ? $$"""{"url":"{{url}}"}""" : $$"""{"url":"{{url}}","{{Option.Name}}":{{Json}}}""";

    private static TheoryData<string, string> Data(Func<OptionCase, bool> which)
    {
        var data = new TheoryData<string, string>();
        foreach (var c in All.Where(which))
            data.Add(c.Option.Name, c.Behaviour);
        return data;
    }

    private static IEnumerable<OptionCase> Cases(LoadOptionDescriptor option) => option switch
    {
        WholeNumberOption number => WholeNumber(number),
        SwitchOption => Switch(option),
        TextOption text => Text(text),
        { Choices.Count: > 0 } => Choice(option),
        _ => throw new InvalidOperationException($"{option.Name}: no cases for a {option.GetType().Name}; add them here"),
    };

    private static IEnumerable<OptionCase> WholeNumber(WholeNumberOption option)
    {
        var (min, max) = (option.Minimum!.Value, option.Maximum!.Value);
        var flag = option.Flag;
        var range = $"must be between {min} and {max}";
        var wholeNumber = option.Unit == LoadOptionUnit.Bytes ? "a whole number of bytes" : "a whole number";
        object Typed(long value) => option.Format == "int64" ? value : checked((int)value);
        // One past what the property's type holds: 2^31 for an int, 2^63 for a long.
        var overflow = option.Format == "int64" ? "9223372036854775808" : "2147483648";

        yield return new(option, "default", [], null, option.Value(new LoadOptions()), null, null);
        yield return new(option, "null is the default", [], "null", option.Value(new LoadOptions()), null, null);
        yield return new(option, "minimum", [flag, Text(min)], Text(min), Typed(min), null, null);
        yield return new(option, "maximum", [flag, Text(max)], Text(max), Typed(max), null, null);
        yield return new(option, "minimum - 1", [flag, Text(min - 1)], Text(min - 1), null, $"{flag} {range}", range);
        yield return new(option, "maximum + 1", [flag, Text(max + 1)], Text(max + 1), null, $"{flag} {range}", range);
        yield return new(option, "wrong type", [flag, "many"], "\"many\"", null, $"{flag} must be {wholeNumber}, not 'many'", "must be a whole number");
        yield return new(option, "fraction", [flag, "1.5"], "1.5", null, $"{flag} must be {wholeNumber}, not '1.5'", "must be a whole number");
        yield return new(option, "too big for its type", [flag, overflow], overflow, null, $"{flag} must be {wholeNumber}, not '{overflow}'", "must be a whole number");
    }

    private static IEnumerable<OptionCase> Choice(LoadOptionDescriptor option)
    {
        var flag = option.Flag;
        var list = string.Join(", ", option.Choices);
        yield return new(option, "default", [], null, option.Value(new LoadOptions()), null, null);
        foreach (var choice in option.Choices)
            yield return new(option, $"choice {choice}", [flag, choice], $"\"{choice}\"", ChoiceValue(option, choice), null, null);
        yield return new(option, "unknown name", [flag, "fastest"], "\"fastest\"", null, $"{flag}: unknown {option.Name} 'fastest' ({list})", $"unknown {option.Name} 'fastest': {list}");
        yield return new(option, "wrong type", [flag, "3"], "3", null, $"{flag}: unknown {option.Name} '3' ({list})", "must be a string");
    }

    private static IEnumerable<OptionCase> Switch(LoadOptionDescriptor option)
    {
        var flag = option.Flag;
        yield return new(option, "default", [], null, false, null, null);
        yield return new(option, "on", [flag], "true", true, null, null);
        yield return new(option, "explicitly off", [], "false", false, null, null);
        // A switch takes no value: after --insecure=yes, "yes" is a second URL.
        yield return new(option, "wrong type", [$"{flag}=yes"], "\"yes\"", null, "unexpected argument yes: one URL only", "must be true or false");
    }

    private static IEnumerable<OptionCase> Text(TextOption option)
    {
        var flag = option.Flag;
        yield return new(option, "default", [], null, null, null, null);
        yield return new(option, "null is the default", [], "null", null, null, null);
        yield return new(option, "given", [flag, option.Example], $"\"{option.Example}\"", option.Example, null, null);
        // An empty value is given, and means "none" (curl's --proxy ""), unlike leaving the option out.
        yield return new(option, "empty", [flag, ""], "\"\"", "", null, null);
        yield return new(option, "wrong type", [flag], "3", null, $"{flag} needs a value", "must be a string");
        if (option.Name != "proxy")
            yield break;
        foreach (var (value, problem) in new[]
        {
            ("ftp://proxy.test:21", "must be an http:// proxy URL, not ftp://"),
            ("https://proxy.test:3128", "must be an http:// proxy URL, not https://"),
            ("http://proxy.test:3128/path", "must be http://host:port, without a path"),
            ("http://proxy.test:70000", "must be a proxy URL, http://host:port"),
            ("http://user:secret@proxy.test:3128", "must not carry credentials: give them with --proxy-user (REST proxyUser), which is never stored"),
        })
            yield return new(option, $"invalid {value}", [flag, value], $"\"{value}\"", null, $"{flag} {problem}", problem);
    }

    /// <summary>The enum value a choice names, found by the document's spelling of each value (not by the option under test).</summary>
    private static object ChoiceValue(LoadOptionDescriptor option, string choice)
    {
        var type = option.Value(new LoadOptions()).GetType();
        return Enum.GetValues(type).Cast<Enum>().Single(v => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(v.ToString()) == choice);
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    public override string ToString() => $"{Option.Name}: {Behaviour}";
}
