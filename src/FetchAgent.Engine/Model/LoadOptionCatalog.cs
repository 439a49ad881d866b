using System.Collections;

namespace FetchAgent.Engine.Model;

/// <summary>
/// Every load option, in the order the document's <c>options</c> writes them (<see cref="LoadOptions.Catalog"/>);
/// looked up by REST name or by command-line flag.
/// </summary>
public sealed class LoadOptionCatalog : IReadOnlyList<LoadOptionDescriptor>
{
    private readonly LoadOptionDescriptor[] _options;
    private readonly Dictionary<string, LoadOptionDescriptor> _byName;
    private readonly Dictionary<string, LoadOptionDescriptor> _byFlag;

    public LoadOptionCatalog(IEnumerable<LoadOptionDescriptor> options)
    {
        _options = [.. options];
        _byName = _options.ToDictionary(o => o.Name, StringComparer.Ordinal);
        _byFlag = _options.ToDictionary(o => o.Flag, StringComparer.Ordinal);
    }

    public int Count => _options.Length;

    public LoadOptionDescriptor this[int index] => _options[index];

    /// <summary>The option named <paramref name="name"/> in the REST body (<c>pipelineDepth</c>), or null.</summary>
    public LoadOptionDescriptor? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The option whose command-line flag is <paramref name="flag"/> (<c>--pipeline-depth</c>), or null.</summary>
    public LoadOptionDescriptor? FindFlag(string flag) => _byFlag.GetValueOrDefault(flag);

    public IEnumerator<LoadOptionDescriptor> GetEnumerator() => ((IEnumerable<LoadOptionDescriptor>)_options).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
