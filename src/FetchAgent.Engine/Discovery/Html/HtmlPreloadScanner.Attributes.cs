using System.Text;
using AngleSharp.Dom;
using static FetchAgent.Engine.Discovery.Html.PreloadAttribute;

namespace FetchAgent.Engine.Discovery.Html;

/// <summary>From scanned bytes to the rules' inputs: attribute values as text, elements, and what is reported.</summary>
internal sealed partial class HtmlPreloadScanner
{
    /// <summary>An element with the tag's attributes, or null when a value cannot be read yet (encoding still unknown).</summary>
    private IElement? Build(string name)
    {
        var element = _scratch.CreateElement(name);
        for (var a = Rel; a <= Height; a++)
        {
            if (!_tag.Has(a) || a == Style)
                continue;
            if (Text(_tag.Value(a), attribute: true) is not { } value)
                return null;
            element.SetAttribute(HtmlPreloadTag.NameOf(a), value);
        }

        return element;
    }

    /// <summary>
    /// Bytes as text. ASCII reads the same in every encoding we scan; anything else needs the encoding to be certain
    /// (the full parse may yet choose windows-1252 for an undeclared document that is not valid UTF-8).
    /// </summary>
    private string? Text(ReadOnlySpan<byte> raw, bool attribute)
    {
        var ascii = System.Text.Ascii.IsValid(raw);
        if (!ascii && !_encodingCertain)
            return null;
        var text = ascii ? Encoding.Latin1.GetString(raw) : _encoding.GetString(raw);

        // §13.2.3.5 input preprocessing: CR LF and lone CR become LF; a NUL in a value becomes U+FFFD.
        if (text.Contains('\r', StringComparison.Ordinal))
            text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        if (text.Contains('\0', StringComparison.Ordinal))
            text = text.Replace('\0', '\uFFFD');
        if (attribute)
        {
            if (HtmlCharacterReferences.DecodeAttribute(text) is not { } decoded)
                return null;
            text = decoded;
        }

        return _encodingCertain || System.Text.Ascii.IsValid(text) ? text : null;
    }

    private HtmlDiscoveryContext Context() => new(_baseUrl, _encoding);

    /// <summary>Reports each URL once, and again only when a later occurrence makes it more urgent (flags OR-ed, as the full list does).</summary>
    private void Emit(HtmlDiscoveryContext context)
    {
        foreach (var r in context.Found.Items)
        {
            var key = r.Url.AbsoluteUri;
            if (!_emitted.TryGetValue(key, out var flags))
            {
                _emitted[key] = (r.RenderBlocking, r.ParserBlocking);
                Found.Add(r);
                if (!_bodyStarted)
                    BeforeBody(r);
            }
            else if ((r.RenderBlocking && !flags.Render) || (r.ParserBlocking && !flags.Parser))
            {
                var merged = (flags.Render || r.RenderBlocking, flags.Parser || r.ParserBlocking);
                _emitted[key] = merged;
                var grown = r with { RenderBlocking = merged.Item1, ParserBlocking = merged.Item2 };
                Found.Add(grown);
                if (!_bodyStarted)
                    BeforeBody(grown);
            }
        }
    }

    /// <summary>The attributes each tag's rule reads (all tags: style).</summary>
    private static uint WantedAttributes(string? name) => name switch
    {
        "link" => LinkAttributes,
        "script" => ScriptAttributes,
        "style" => StyleAttributes,
        "img" or "image" => ImgAttributes,
        "source" => SourceAttributes,
        "video" => VideoAttributes,
        "audio" or "track" or "iframe" or "frame" or "embed" => SrcAttributes,
        "input" => InputAttributes,
        "object" => ObjectAttributes,
        "base" => BaseAttributes,
        "meta" => MetaAttributes,
        "font" => FontAttributes,
        _ => Bits(),
    };

    private static readonly uint LinkAttributes = Bits(Rel, Href, PreloadAttribute.Type, Media, Disabled, Blocking, As);
    private static readonly uint ScriptAttributes = Bits(Src, PreloadAttribute.Type, Language, Async, Defer, NoModule, Blocking);
    private static readonly uint StyleAttributes = Bits(PreloadAttribute.Type, Media, Blocking);
    private static readonly uint ImgAttributes = Bits(Src, Srcset, Sizes, Width, Height);
    private static readonly uint SourceAttributes = Bits(Src, Srcset, Sizes, Media, PreloadAttribute.Type);
    private static readonly uint VideoAttributes = Bits(Src, Poster);
    private static readonly uint SrcAttributes = Bits(Src);
    private static readonly uint InputAttributes = Bits(Src, PreloadAttribute.Type);
    private static readonly uint ObjectAttributes = Bits(Data);
    private static readonly uint BaseAttributes = Bits(Href);
    private static readonly uint MetaAttributes = Bits(Charset, HttpEquiv, Content);
    private static readonly uint FontAttributes = Bits(Color, Face, Size);

    private static uint Bits(params ReadOnlySpan<PreloadAttribute> attributes)
    {
        var mask = 1u << (int)Style;
        foreach (var a in attributes)
            mask |= 1u << (int)a;
        return mask;
    }

    /// <summary>True when the encoding writes ASCII as ASCII, so markup bytes can be read before decoding.</summary>
    private static bool IsAsciiCompatible(Encoding encoding)
    {
        ReadOnlySpan<byte> probe = "<>=\"'/&!- azAZ09\n\t"u8;
        try
        {
            return encoding.GetBytes(Encoding.ASCII.GetString(probe)).AsSpan().SequenceEqual(probe);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
