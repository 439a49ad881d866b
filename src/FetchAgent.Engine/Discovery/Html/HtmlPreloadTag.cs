namespace FetchAgent.Engine.Discovery.Html;

/// <summary>The attributes the discovery rules read; every other attribute is skipped without being kept.</summary>
internal enum PreloadAttribute
{
    Rel, Href, Type, Media, Disabled, Blocking, As, Src, Language, Async, Defer, NoModule,
    Srcset, Sizes, Poster, Data, Style, Charset, HttpEquiv, Content, Color, Face, Size, Width, Height,
}

/// <summary>
/// One tag as the preload scanner reads it (HTML §13.2.5 tag token): a lower-cased name and the raw bytes
/// of the attributes the rules need. The first occurrence of an attribute wins, as the tokenizer drops
/// duplicates (§13.2.5.33 "attribute name state"). Reused for every tag: no allocation per tag.
/// </summary>
internal sealed class HtmlPreloadTag
{
    /// <summary>Longer tag and attribute names are never ones we look for.</summary>
    private const int MaxName = 16;

    private static readonly string[] AttributeNames =
    [
        "rel", "href", "type", "media", "disabled", "blocking", "as", "src", "language", "async", "defer", "nomodule",
        "srcset", "sizes", "poster", "data", "style", "charset", "http-equiv", "content", "color", "face", "size", "width", "height",
    ];

    private static readonly byte[][] AttributeNameBytes = [.. AttributeNames.Select(System.Text.Encoding.ASCII.GetBytes)];

    private readonly byte[] _name = new byte[MaxName];
    private readonly byte[] _attributeName = new byte[MaxName];
    private readonly int[] _valueStart = new int[AttributeNames.Length];
    private readonly int[] _valueLength = new int[AttributeNames.Length];
    private byte[] _values = new byte[256];
    private int _valuesLength;
    private int _nameLength;
    private int _attributeNameLength;
    private uint _present;
    private int _current = -1;

    public bool IsEnd { get; private set; }

    public bool SelfClosing { get; set; }

    /// <summary>The known tag name (an interned constant), or null for any other name.</summary>
    public string? Name { get; private set; }

    /// <summary>Which attributes to keep for this tag; set once the name is known.</summary>
    public uint Wanted { get; set; }

    /// <summary>Offset in the decoded stream of the tag's "&lt;" (for the 1024-byte meta rule).</summary>
    public long Offset { get; private set; }

    public static string NameOf(PreloadAttribute attribute) => AttributeNames[(int)attribute];

    public void Begin(bool isEnd, long offset)
    {
        IsEnd = isEnd;
        SelfClosing = false;
        Name = null;
        Wanted = 0;
        Offset = offset;
        _nameLength = 0;
        _valuesLength = 0;
        _present = 0;
        _current = -1;
    }

    public void AppendName(byte b)
    {
        if (_nameLength < MaxName)
            _name[_nameLength] = Lower(b);
        _nameLength++;
    }

    /// <summary>Ends the tag name: interns it if it is one the scanner knows.</summary>
    public void EndName() => Name = _nameLength > MaxName ? null : HtmlPreloadNames.Intern(_name.AsSpan(0, _nameLength));

    public void BeginAttribute()
    {
        _attributeNameLength = 0;
        _current = -1;
    }

    public void AppendAttributeName(byte b)
    {
        if (_attributeNameLength < MaxName)
            _attributeName[_attributeNameLength] = Lower(b);
        _attributeNameLength++;
    }

    /// <summary>Ends the attribute name: later bytes of the value are kept only for a wanted attribute seen the first time.</summary>
    public void EndAttributeName()
    {
        _current = -1;
        if (_attributeNameLength > MaxName)
            return;
        var name = _attributeName.AsSpan(0, _attributeNameLength);
        for (var i = 0; i < AttributeNames.Length; i++)
        {
            if ((Wanted & (1u << i)) == 0 || !name.SequenceEqual(AttributeNameBytes[i]))
                continue;
            if ((_present & (1u << i)) != 0)
                return; // a duplicate: the first one counts
            _present |= 1u << i;
            _current = i;
            _valueStart[i] = _valuesLength;
            _valueLength[i] = 0;
            return;
        }
    }

    public void AppendValue(byte b)
    {
        if (_current < 0)
            return;
        if (_valuesLength == _values.Length)
            Array.Resize(ref _values, _values.Length * 2);
        _values[_valuesLength++] = b;
        _valueLength[_current]++;
    }

    public bool Has(PreloadAttribute attribute) => (_present & (1u << (int)attribute)) != 0;

    /// <summary>The raw bytes of an attribute's value (character references not yet decoded); empty when absent.</summary>
    public ReadOnlySpan<byte> Value(PreloadAttribute attribute) =>
        Has(attribute) ? _values.AsSpan(_valueStart[(int)attribute], _valueLength[(int)attribute]) : default;

    public uint Present => _present;

    private static byte Lower(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + 0x20) : b;
}
