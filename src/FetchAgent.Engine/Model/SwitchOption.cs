using System.Text.Json;

namespace FetchAgent.Engine.Model;

/// <summary>A load option that is on or off: a bare flag on the command line, <c>true</c> or <c>false</c> in the REST body.</summary>
public sealed class SwitchOption : LoadOptionDescriptor
{
    private readonly Func<LoadOptions, bool> _get;
    private readonly Func<LoadOptions, bool, LoadOptions> _set;

    public SwitchOption(string property, string help, Func<LoadOptions, bool> get, Func<LoadOptions, bool, LoadOptions> set)
        : base(property, LoadOptionUnit.None, help)
    {
        _get = get;
        _set = set;
    }

    public override string JsonType => "boolean";

    public override bool TakesValue => false;

    public override string ValueName => "";

    public override string DefaultText => _get(new LoadOptions()) ? "on" : "off";

    public override object Value(LoadOptions options) => _get(options);

    /// <summary>The flag given turns it on; it takes no argument.</summary>
    public override LoadOptions Parse(LoadOptions options, string? argument, out string? problem)
    {
        problem = null;
        return _set(options, true);
    }

    private protected override LoadOptions ReadValue(LoadOptions options, JsonElement value, out string? problem)
    {
        problem = null;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            return _set(options, value.GetBoolean());
        problem = "must be true or false";
        return options;
    }
}
