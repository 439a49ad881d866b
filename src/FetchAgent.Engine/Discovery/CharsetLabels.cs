using System.Text;

namespace FetchAgent.Engine.Discovery;

/// <summary>
/// Maps WHATWG Encoding Standard labels (§4.2 "get an encoding") to .NET encodings.
/// The standard folds several legacy labels onto a superset (latin1/ascii → windows-1252),
/// which .NET's own lookup does not, so the common ones are listed explicitly.
/// </summary>
internal static class CharsetLabels
{
    static CharsetLabels() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>UTF-8 without a BOM preamble and with replacement on bad bytes (Encoding §8.1.1).</summary>
    public static Encoding Utf8 { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    public static Encoding Windows1252 => Encoding.GetEncoding(1252);

    private static readonly Dictionary<string, int> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        // Encoding §4.2 table: all of these are windows-1252.
        ["ansi_x3.4-1968"] = 1252, ["ascii"] = 1252, ["cp1252"] = 1252, ["cp819"] = 1252, ["csisolatin1"] = 1252,
        ["ibm819"] = 1252, ["iso-8859-1"] = 1252, ["iso-ir-100"] = 1252, ["iso8859-1"] = 1252, ["iso88591"] = 1252,
        ["iso_8859-1"] = 1252, ["iso_8859-1:1987"] = 1252, ["l1"] = 1252, ["latin1"] = 1252, ["us-ascii"] = 1252,
        ["windows-1252"] = 1252, ["x-cp1252"] = 1252,
        // Shift_JIS: the standard's decoder is Microsoft's code page 932.
        ["csshiftjis"] = 932, ["ms932"] = 932, ["ms_kanji"] = 932, ["shift-jis"] = 932, ["shift_jis"] = 932,
        ["sjis"] = 932, ["windows-31j"] = 932, ["x-sjis"] = 932,
        // ISO-8859-9 and friends are windows-1254 in the standard.
        ["iso-8859-9"] = 1254, ["latin5"] = 1254, ["windows-1254"] = 1254,
        ["unicode-1-1-utf-8"] = 65001, ["unicode11utf8"] = 65001, ["unicode20utf8"] = 65001,
        ["utf-8"] = 65001, ["utf8"] = 65001, ["x-unicode20utf8"] = 65001,
        ["utf-16"] = 1200, ["utf-16le"] = 1200, ["ucs-2"] = 1200, ["unicode"] = 1200, ["csunicode"] = 1200,
        ["iso-10646-ucs-2"] = 1200, ["unicodefeff"] = 1200,
        ["utf-16be"] = 1201, ["unicodefffe"] = 1201,
    };

    /// <summary>The encoding a label names, or null when the label is unknown (Encoding §4.2).</summary>
    public static Encoding? Find(string? label)
    {
        if (label is null)
        {
            return null;
        }

        // "Remove any leading and trailing ASCII whitespace from label."
        label = label.Trim(' ', '\t', '\n', '\f', '\r');
        if (label.Length == 0)
        {
            return null;
        }

        if (Aliases.TryGetValue(label, out var codePage))
        {
            return codePage == 65001 ? Utf8 : Encoding.GetEncoding(codePage);
        }

        try
        {
            var encoding = Encoding.GetEncoding(label);
            return encoding.CodePage == 65001 ? Utf8 : encoding;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    public static bool IsUtf16(Encoding encoding) => encoding.CodePage is 1200 or 1201;
}
