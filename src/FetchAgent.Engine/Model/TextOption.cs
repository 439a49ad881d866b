using System.Text.Json;

namespace FetchAgent.Engine.Model;

/// <summary>
/// A load option whose value is text, absent (null) by default: a flag with a value on the command line, a string in
/// the REST body. <paramref name="check"/> says why a value is not acceptable (the empty text always is: it means "none").
/// </summary>
public sealed class TextOption : LoadOptionDescriptor
{
    private readonly Func<LoadOptions, string?> _get;
    private readonly Func<LoadOptions, string?, LoadOptions> _set;
    private readonly Func<string, string?> _check;

    public TextOption(
        string property, string valueName, string example, string help, Func<LoadOptions, string?> get, Func<LoadOptions, string?, LoadOptions> set,
        Func<string, string?> check)
        : base(property, LoadOptionUnit.None, help)
    {
        ValueName = valueName;
        Example = example;
        _get = get;
        _set = set;
        _check = check;
    }

    public override string JsonType => "string";

    public override string ValueName { get; }

    /// <summary>A value the option accepts, for help texts and tests.</summary>
    public string Example { get; }

    public override string DefaultText => _get(new LoadOptions()) ?? "none";

    public override object Value(LoadOptions options) => _get(options)!;

    public override LoadOptions Parse(LoadOptions options, string? argument, out string? problem)
    {
        problem = null;
        return _set(options, argument ?? "");
    }

    private protected override LoadOptions ReadValue(LoadOptions options, JsonElement value, out string? problem)
    {
        problem = null;
        if (value.ValueKind == JsonValueKind.String)
            return _set(options, value.GetString());
        problem = "must be a string";
        return options;
    }

    public override string? Check(LoadOptions options) => _get(options) is { Length: > 0 } text ? _check(text) : null;
}
