using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FetchAgent.Engine.Model;

/// <summary>
/// One load option as users meet it: its name in the REST body and in the document (camelCase), its flag on the
/// command line (kebab-case), its type, default, range, unit and help. Validation, the CLI parser and its help,
/// the REST body reader, the OpenAPI schema and README's table all read it from <see cref="LoadOptions.Catalog"/>,
/// so an option is described once, beside the property the engine reads.
/// </summary>
public abstract class LoadOptionDescriptor
{
    private protected LoadOptionDescriptor(string property, LoadOptionUnit unit, string help)
    {
        Property = property;
        Name = JsonNamingPolicy.CamelCase.ConvertName(property);
        Flag = "--" + JsonNamingPolicy.KebabCaseLower.ConvertName(property);
        Unit = unit;
        Help = help;
    }

    /// <summary>The <see cref="LoadOptions"/> property it sets (<c>MaxConnectionsPerHost</c>).</summary>
    public string Property { get; }

    /// <summary>The name in the REST body, in problem documents and in the document's <c>options</c> (<c>maxConnectionsPerHost</c>).</summary>
    public string Name { get; }

    /// <summary>The command-line flag (<c>--max-connections-per-host</c>).</summary>
    public string Flag { get; }

    public LoadOptionUnit Unit { get; }

    /// <summary>What it means, in a line: <c>--help</c> and the OpenAPI description say it.</summary>
    public string Help { get; }

    /// <summary>A comparison may sweep it: several values given as a list (CLI) or an array (REST).</summary>
    public virtual bool Sweepable => false;

    /// <summary>The JSON Schema type of its value: <c>integer</c>, <c>boolean</c> or <c>string</c>.</summary>
    public abstract string JsonType { get; }

    /// <summary>The OpenAPI format (<c>int32</c>, <c>int64</c>), or null.</summary>
    public virtual string? Format => null;

    public virtual long? Minimum => null;

    public virtual long? Maximum => null;

    /// <summary>The values a choice may take, as JSON spells them; empty for any other kind.</summary>
    public virtual IReadOnlyList<string> Choices => [];

    /// <summary>Whether the flag takes a value on the command line (a switch does not).</summary>
    public virtual bool TakesValue => true;

    /// <summary>The placeholder <c>--help</c> shows after the flag (<c>N</c>, <c>MS</c>, <c>BYTES</c>, <c>NAME</c>); empty for a switch.</summary>
    public abstract string ValueName { get; }

    /// <summary>The value in <paramref name="options"/>, as the document's JSON writes it.</summary>
    public JsonNode? JsonValue(LoadOptions options) => JsonSerializer.SerializeToNode(Value(options), DocumentJson.Options);

    /// <summary>The value a new <see cref="LoadOptions"/> has (its property's initializer), as JSON writes it.</summary>
    public JsonNode? DefaultJson => JsonValue(new LoadOptions());

    /// <summary>The default as <c>--help</c> and README show it: <c>persistent</c>, <c>2</c>, <c>off</c>.</summary>
    public virtual string DefaultText => Convert.ToString(Value(new LoadOptions()), CultureInfo.InvariantCulture) ?? "";

    /// <summary>The range (<c>1–64</c>) or the choices (<c>serial, parallel</c>), as <c>--help</c> and README show them; null when neither.</summary>
    public virtual string? RangeText => null;

    /// <summary>The value in <paramref name="options"/>, boxed (an <see cref="int"/>, <see cref="long"/>, <see cref="bool"/> or enum).</summary>
    public abstract object Value(LoadOptions options);

    /// <summary>
    /// <paramref name="options"/> with the value of the command-line argument <paramref name="argument"/> (null for a
    /// switch), or unchanged with <paramref name="problem"/> the one-line usage error, which names the flag.
    /// </summary>
    public abstract LoadOptions Parse(LoadOptions options, string? argument, out string? problem);

    /// <summary>
    /// <paramref name="options"/> with the value of the REST body's field; a JSON <c>null</c> leaves the default. A value of
    /// the wrong type leaves <paramref name="options"/> unchanged and says why in <paramref name="problem"/> (the field is named apart).
    /// </summary>
    public LoadOptions Read(LoadOptions options, JsonElement value, out string? problem)
    {
        problem = null;
        return value.ValueKind == JsonValueKind.Null ? options : ReadValue(options, value, out problem);
    }

    private protected abstract LoadOptions ReadValue(LoadOptions options, JsonElement value, out string? problem);

    /// <summary>Why the value in <paramref name="options"/> is out of range (<c>must be between 1 and 64</c>), or null.</summary>
    public virtual string? Check(LoadOptions options) => null;

    public override string ToString() => Name;
}
