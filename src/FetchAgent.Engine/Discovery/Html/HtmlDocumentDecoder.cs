using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace FetchAgent.Engine.Discovery.Html;

/// <summary>
/// Decodes and parses an HTML response the way HTML §13.2.3 "the input byte stream" describes:
/// a BOM is certain; then the Content-Type charset is certain; otherwise the encoding is tentative
/// (UTF-8 when the bytes are valid UTF-8, else windows-1252 — the "frequency analysis" the spec allows)
/// and a <c>&lt;meta charset&gt;</c> or <c>&lt;meta http-equiv=content-type&gt;</c> that names another
/// encoding makes the parser start again with it (§13.2.3.4 "changing the encoding while parsing").
/// </summary>
internal static class HtmlDocumentDecoder
{
    public static (IHtmlDocument Document, Encoding Encoding) Parse(ReadOnlySpan<byte> bytes, string? contentType)
    {
        var decoded = Decode(bytes, contentType);
        var document = ParseText(decoded.Text);
        if (decoded.Confidence == CharsetConfidence.Tentative && MetaEncoding(document) is { } declared &&
            declared.CodePage != decoded.Encoding.CodePage)
        {
            return (ParseText(CharsetDecoder.Decode(bytes, declared)), declared);
        }

        return (document, decoded.Encoding);
    }

    internal static CharsetDecoded Decode(ReadOnlySpan<byte> bytes, string? contentType)
    {
        var (bomEncoding, bomLength) = CharsetDecoder.SniffBom(bytes);
        if (bomEncoding is not null)
        {
            return new CharsetDecoded(CharsetDecoder.Decode(bytes, bomEncoding, bomLength), bomEncoding, CharsetConfidence.Certain);
        }

        if (CharsetLabels.Find(CharsetDecoder.CharsetParameter(contentType)) is { } declared)
        {
            return new CharsetDecoded(CharsetDecoder.Decode(bytes, declared), declared, CharsetConfidence.Certain);
        }

        var guess = CharsetDecoder.IsValidUtf8(bytes) ? CharsetLabels.Utf8 : CharsetLabels.Windows1252;
        return new CharsetDecoded(CharsetDecoder.Decode(bytes, guess), guess, CharsetConfidence.Tentative);
    }

    /// <summary>
    /// The parser runs with scripting enabled, as a browser does, so <c>&lt;noscript&gt;</c> content is
    /// text and its images are not fetched (§13.2.6.4.4 "in head", noscript with the scripting flag set).
    /// </summary>
    private static IHtmlDocument ParseText(string text) =>
        new HtmlParser(new HtmlParserOptions { IsScripting = true }).ParseDocument(text);

    /// <summary>The encoding the first meta element declares (§13.2.6.4.4 "A start tag whose tag name is meta").</summary>
    private static Encoding? MetaEncoding(IHtmlDocument document)
    {
        foreach (var meta in document.GetElementsByTagName("meta"))
        {
            var label = meta.GetAttribute("charset");
            if (label is null && string.Equals(meta.GetAttribute("http-equiv")?.Trim(), "content-type", StringComparison.OrdinalIgnoreCase))
            {
                label = ExtractCharset(meta.GetAttribute("content"));
            }

            if (CharsetLabels.Find(label) is { } encoding)
            {
                // §13.2.3.4 step 2: UTF-16 becomes UTF-8; x-user-defined becomes windows-1252.
                return CharsetLabels.IsUtf16(encoding) ? CharsetLabels.Utf8 : encoding;
            }
        }

        return null;
    }

    /// <summary>HTML §2.6.5 "algorithm for extracting a character encoding from a meta element".</summary>
    internal static string? ExtractCharset(string? content)
    {
        if (content is null)
        {
            return null;
        }

        var position = 0;
        while (true)
        {
            var at = content.IndexOf("charset", position, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return null;
            }

            position = at + 7;
            while (position < content.Length && SrcsetParser.IsSpace(content[position]))
            {
                position++;
            }

            if (position >= content.Length || content[position] != '=')
            {
                continue; // "return to the step labeled loop"
            }

            position++;
            while (position < content.Length && SrcsetParser.IsSpace(content[position]))
            {
                position++;
            }

            if (position >= content.Length)
            {
                return null;
            }

            var quote = content[position];
            if (quote is '"' or '\'')
            {
                var close = content.IndexOf(quote, position + 1);
                return close < 0 ? null : content[(position + 1)..close];
            }

            var end = position;
            while (end < content.Length && !SrcsetParser.IsSpace(content[end]) && content[end] != ';')
            {
                end++;
            }

            return content[position..end];
        }
    }

    /// <summary>Walks up the tree: is <paramref name="element"/> inside the document's <c>&lt;head&gt;</c>?</summary>
    public static bool IsInHead(IElement element)
    {
        for (var e = element.ParentElement; e is not null; e = e.ParentElement)
        {
            if (e is IHtmlHeadElement)
            {
                return true;
            }
        }

        return false;
    }
}
