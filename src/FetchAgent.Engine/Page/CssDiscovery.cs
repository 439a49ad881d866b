using System.Text;

namespace FetchAgent.Engine.Page;

/// <summary>Finds the <c>@import</c> and <c>url()</c> references of a stylesheet.</summary>
public static class CssDiscovery
{
    /// <summary>Every http(s) reference once, in source order, resolved against the stylesheet URL.</summary>
    public static IReadOnlyList<DiscoveredResource> Discover(ReadOnlyMemory<byte> css, string? contentType, Uri stylesheetUrl)
    {
        ArgumentNullException.ThrowIfNull(stylesheetUrl);
        return Discover(Decode(css.Span, contentType), stylesheetUrl);
    }

    /// <summary>
    /// The same for CSS already in text form — a <c>&lt;style&gt;</c> element or a <c>style</c> attribute —
    /// resolved against <paramref name="baseUrl"/> (the document's base URL for those, CSS Values 4 §4.5.1).
    /// </summary>
    public static IReadOnlyList<DiscoveredResource> Discover(string cssText, Uri baseUrl) =>
        Discover(cssText, baseUrl, sheetAppliesToScreen: true);

    /// <summary>
    /// As <see cref="Discover(string, Uri)"/>; an <c>@import</c> blocks rendering only when the sheet that
    /// holds it applies to the screen too (a <c>&lt;style media=print&gt;</c> blocks nothing).
    /// </summary>
    /// <param name="declarationList">True for a <c>style</c> attribute, where an <c>@import</c> means nothing.</param>
    internal static IReadOnlyList<DiscoveredResource> Discover(string cssText, Uri baseUrl, bool sheetAppliesToScreen, bool declarationList = false)
    {
        ArgumentNullException.ThrowIfNull(cssText);
        ArgumentNullException.ThrowIfNull(baseUrl);
        var found = new HtmlResourceSet();
        CssReferenceScanner.Scan(CssTokenizer.Preprocess(cssText), baseUrl, sheetAppliesToScreen, found, importsAllowed: !declarationList);
        return found.Items;
    }

    /// <summary>
    /// CSS Syntax 3 §3.2 "decode bytes": a BOM wins; otherwise the fallback encoding is the Content-Type
    /// charset, then an <c>@charset "…";</c> rule at the very first byte, then UTF-8.
    /// </summary>
    internal static string Decode(ReadOnlySpan<byte> bytes, string? contentType)
    {
        var (bomEncoding, bomLength) = CharsetDecoder.SniffBom(bytes);
        if (bomEncoding is not null)
        {
            return CharsetDecoder.Decode(bytes, bomEncoding, bomLength);
        }

        var encoding = CharsetLabels.Find(CharsetDecoder.CharsetParameter(contentType)) ?? CharsetRule(bytes) ?? CharsetLabels.Utf8;
        return CharsetDecoder.Decode(bytes, encoding);
    }

    /// <summary>The encoding an <c>@charset "label";</c> rule names, read from the bytes (§3.2 step 2).</summary>
    private static Encoding? CharsetRule(ReadOnlySpan<byte> bytes)
    {
        ReadOnlySpan<byte> prefix = "@charset \""u8;
        if (!bytes.StartsWith(prefix))
        {
            return null;
        }

        var window = bytes[prefix.Length..Math.Min(bytes.Length, 1024)];
        var end = window.IndexOf("\";"u8);
        if (end < 0)
        {
            return null;
        }

        var encoding = CharsetLabels.Find(Encoding.ASCII.GetString(window[..end]));

        // "If the return value was utf-16be or utf-16le, use utf-8": the rule was evidently read as ASCII.
        return encoding is not null && CharsetLabels.IsUtf16(encoding) ? CharsetLabels.Utf8 : encoding;
    }
}
