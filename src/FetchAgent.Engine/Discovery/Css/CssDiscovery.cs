using System.Buffers;
using System.Text;

namespace FetchAgent.Engine.Discovery.Css;

/// <summary>Finds the <c>@import</c> and <c>url()</c> references of a stylesheet.</summary>
public static class CssDiscovery
{
    /// <summary>Every http(s) reference once, in source order, resolved against the stylesheet URL.</summary>
    public static IReadOnlyList<DiscoveredResource> Discover(ReadOnlyMemory<byte> css, string? contentType, Uri stylesheetUrl) =>
        Scan(css, contentType, stylesheetUrl, importsOnly: false);

    /// <summary>
    /// Only the sheet's <c>@import</c>s, as <see cref="Discover(ReadOnlyMemory{byte}, string?, Uri)"/> finds them: what is
    /// requested when the sheet arrives while the style pass decides on its images and fonts. The scan stops at the
    /// first rule after which no <c>@import</c> counts (Cascade 5 §2.1), so a big sheet costs its first rules.
    /// </summary>
    public static IReadOnlyList<DiscoveredResource> Imports(ReadOnlyMemory<byte> css, string? contentType, Uri stylesheetUrl) =>
        Scan(css, contentType, stylesheetUrl, importsOnly: true);

    private static IReadOnlyList<DiscoveredResource> Scan(ReadOnlyMemory<byte> css, string? contentType, Uri stylesheetUrl, bool importsOnly)
    {
        ArgumentNullException.ThrowIfNull(stylesheetUrl);
        var bytes = css.Span;
        var encoding = SniffEncoding(bytes, contentType, out var bomLength);

        // The text lives in a pooled buffer, preprocessed in place (§3.3), for as long as the scan.
        var text = CharsetDecoder.DecodePooled(bytes, encoding, bomLength, out var length);
        try
        {
            length = CssTokenizer.Preprocess(text.AsSpan(0, length));
            var found = new ResourceSet();
            CssReferenceScanner.Scan(text.AsSpan(0, length), stylesheetUrl, sheetAppliesToScreen: true, found, importsOnly: importsOnly);
            return found.Items;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(text);
        }
    }

    /// <summary>The outline of a stylesheet (rules, faces, imports) for the style pass, decoded as <see cref="Discover(ReadOnlyMemory{byte}, string?, Uri)"/> decodes it.</summary>
    internal static CssSheetOutline Outline(ReadOnlyMemory<byte> css, string? contentType, Uri stylesheetUrl)
    {
        var bytes = css.Span;
        var encoding = SniffEncoding(bytes, contentType, out var bomLength);
        return CssOutlineReader.Read(CharsetDecoder.Decode(bytes, encoding, bomLength), stylesheetUrl);
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
        var found = new ResourceSet();
        if (!CssTokenizer.NeedsPreprocessing(cssText))
        {
            CssReferenceScanner.Scan(cssText, baseUrl, sheetAppliesToScreen, found, importsAllowed: !declarationList);
            return found.Items;
        }

        // §3.3: CR, FF and NUL must go first; do it on a pooled copy rather than a new string.
        var text = ArrayPool<char>.Shared.Rent(cssText.Length);
        try
        {
            cssText.CopyTo(text);
            var length = CssTokenizer.Preprocess(text.AsSpan(0, cssText.Length));
            CssReferenceScanner.Scan(text.AsSpan(0, length), baseUrl, sheetAppliesToScreen, found, importsAllowed: !declarationList);
            return found.Items;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(text);
        }
    }

    /// <summary>
    /// CSS Syntax 3 §3.2 "decode bytes": a BOM wins (its length is returned to skip); otherwise the fallback
    /// encoding is the Content-Type charset, then an <c>@charset "…";</c> rule at the very first byte, then UTF-8.
    /// </summary>
    private static Encoding SniffEncoding(ReadOnlySpan<byte> bytes, string? contentType, out int bomLength)
    {
        (var bomEncoding, bomLength) = CharsetDecoder.SniffBom(bytes);
        return bomEncoding ?? CharsetLabels.Find(CharsetDecoder.CharsetParameter(contentType)) ?? CharsetRule(bytes) ?? CharsetLabels.Utf8;
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
