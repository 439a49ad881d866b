using System.Globalization;
using System.Text.Json;

namespace FetchAgent.Engine.Model;

/// <summary>A load option that is a whole number between a minimum and a maximum (a count, milliseconds, bytes).</summary>
public sealed class WholeNumberOption : LoadOptionDescriptor
{
    private readonly Func<LoadOptions, long> _get;
    private readonly Func<LoadOptions, long, LoadOptions> _set;
    private readonly bool _wide;
    private readonly long _minimum;
    private readonly long _maximum;
    private readonly bool _sweepable;

    private WholeNumberOption(
        string property, long minimum, long maximum, LoadOptionUnit unit, string help, bool wide, Func<LoadOptions, long> get, Func<LoadOptions, long, LoadOptions> set,
        bool sweepable)
        : base(property, unit, help)
    {
        _sweepable = sweepable;
        _minimum = minimum;
        _maximum = maximum;
        _wide = wide;
        _get = get;
        _set = set;
    }

    /// <summary>An <see cref="int"/> property of <see cref="LoadOptions"/>; <paramref name="sweepable"/>: a comparison may run it at several values.</summary>
    public static WholeNumberOption Int32(
        string property, int minimum, int maximum, LoadOptionUnit unit, string help, Func<LoadOptions, int> get, Func<LoadOptions, int, LoadOptions> set,
        bool sweepable = false) =>
        new(property, minimum, maximum, unit, help, wide: false, o => get(o), (o, v) => set(o, checked((int)v)), sweepable);

    /// <summary>A <see cref="long"/> property of <see cref="LoadOptions"/>.</summary>
    public static WholeNumberOption Int64(
        string property, long minimum, long maximum, LoadOptionUnit unit, string help, Func<LoadOptions, long> get, Func<LoadOptions, long, LoadOptions> set) =>
        new(property, minimum, maximum, unit, help, wide: true, get, set, sweepable: false);

    public override bool Sweepable => _sweepable;

    public override string JsonType => "integer";

    public override string? Format => _wide ? "int64" : "int32";

    public override long? Minimum => _minimum;

    public override long? Maximum => _maximum;

    public override string ValueName => Unit switch
    {
        LoadOptionUnit.Milliseconds => "MS",
        LoadOptionUnit.Bytes => "BYTES",
        _ => "N",
    };

    public override string RangeText => string.Create(CultureInfo.InvariantCulture, $"{_minimum}–{_maximum}");

    public override object Value(LoadOptions options) => _wide ? _get(options) : (int)_get(options);

    /// <summary><paramref name="options"/> with this option set to <paramref name="value"/> (one value of a sweep), in range or not.</summary>
    public LoadOptions With(LoadOptions options, long value) => _set(options, value);

    /// <summary>The number an argument spells, or null with the usage error (<c>--max-objects must be a whole number, not 'many'</c>).</summary>
    public long? ParseNumber(string argument, out string? problem)
    {
        problem = null;
        if (_wide && long.TryParse(argument, NumberStyles.Integer, CultureInfo.InvariantCulture, out var wide))
            return wide;
        if (!_wide && int.TryParse(argument, NumberStyles.Integer, CultureInfo.InvariantCulture, out var narrow))
            return narrow;
        problem = $"{Flag} must be {(Unit == LoadOptionUnit.Bytes ? "a whole number of bytes" : "a whole number")}, not '{argument}'";
        return null;
    }

    public override LoadOptions Parse(LoadOptions options, string? argument, out string? problem) =>
        ParseNumber(argument ?? "", out problem) is { } number ? _set(options, number) : options;

    private protected override LoadOptions ReadValue(LoadOptions options, JsonElement value, out string? problem)
    {
        problem = null;
        if (value.ValueKind == JsonValueKind.Number && _wide && value.TryGetInt64(out var wide))
            return _set(options, wide);
        if (value.ValueKind == JsonValueKind.Number && !_wide && value.TryGetInt32(out var narrow))
            return _set(options, narrow);
        problem = "must be a whole number";
        return options;
    }

    public override string? Check(LoadOptions options) =>
        _get(options) is var value && (value < _minimum || value > _maximum)
            ? string.Create(CultureInfo.InvariantCulture, $"must be between {_minimum} and {_maximum}")
            : null;
}
