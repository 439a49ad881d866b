using System.Text.Json;

namespace FetchAgent.Engine.Model;

/// <summary>A load option that names one of an enum's values, spelled as the document spells them (<c>persistent</c>).</summary>
public sealed class ChoiceOption<T> : LoadOptionDescriptor where T : struct, Enum
{
    private static readonly Dictionary<string, T> ByName = Enum.GetValues<T>().ToDictionary(DocumentJson.Name, v => v, StringComparer.Ordinal);

    private readonly Func<LoadOptions, T> _get;
    private readonly Func<LoadOptions, T, LoadOptions> _set;

    public ChoiceOption(string property, string help, Func<LoadOptions, T> get, Func<LoadOptions, T, LoadOptions> set)
        : base(property, LoadOptionUnit.None, help)
    {
        _get = get;
        _set = set;
    }

    public override string JsonType => "string";

    public override IReadOnlyList<string> Choices { get; } = [.. ByName.Keys];

    public override string ValueName => "NAME";

    public override string DefaultText => DocumentJson.Name(_get(new LoadOptions()));

    public override string RangeText => string.Join(", ", Choices);

    public override object Value(LoadOptions options) => _get(options);

    public override LoadOptions Parse(LoadOptions options, string? argument, out string? problem)
    {
        problem = null;
        if (ByName.TryGetValue(argument ?? "", out var value))
            return _set(options, value);
        problem = $"{Flag}: unknown {Name} '{argument}' ({RangeText})";
        return options;
    }

    private protected override LoadOptions ReadValue(LoadOptions options, JsonElement value, out string? problem)
    {
        problem = null;
        if (value.ValueKind != JsonValueKind.String)
            problem = "must be a string";
        else if (ByName.TryGetValue(value.GetString()!, out var parsed))
            return _set(options, parsed);
        else
            problem = $"unknown {Name} '{value.GetString()}': {RangeText}";
        return options;
    }
}
