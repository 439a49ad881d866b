using System.Globalization;
using System.Text;
using AngleSharp.Html;

namespace FetchAgent.Engine.Discovery.Html;

/// <summary>HTML §13.2.5.72–80 character references, as they are decoded inside an attribute value.</summary>
internal static class HtmlCharacterReferences
{
    /// <summary>
    /// The value with its character references decoded, or null when one is a legacy name without ";" that the
    /// tokenizer might decode (the full parse decides those). In an attribute a name not ended by ";" and followed
    /// by "=" or an alphanumeric stays as written (§13.2.5.73), so <c>?a=1&amp;copy=2</c> keeps its "&amp;copy".
    /// </summary>
    public static string? DecodeAttribute(string value)
    {
        var amp = value.IndexOf('&', StringComparison.Ordinal);
        if (amp < 0)
            return value;

        var sb = new StringBuilder(value.Length);
        sb.Append(value, 0, amp);
        var i = amp;
        while (i < value.Length)
        {
            var c = value[i];
            if (c != '&')
            {
                sb.Append(c);
                i++;
                continue;
            }

            if (i + 1 < value.Length && value[i + 1] == '#')
            {
                i = Numeric(value, i, sb);
                continue;
            }

            var end = i + 1;
            while (end < value.Length && char.IsAsciiLetterOrDigit(value[end]))
                end++;
            var name = value[(i + 1)..end];
            if (name.Length == 0)
            {
                sb.Append('&');
                i++;
                continue;
            }

            if (end < value.Length && value[end] == ';')
            {
                if (HtmlEntityProvider.Resolver.GetSymbol(name + ";") is { } symbol)
                {
                    sb.Append(symbol);
                    i = end + 1;
                    continue;
                }
            }
            else if ((end == value.Length || value[end] != '=') && HtmlEntityProvider.Resolver.GetSymbol(name) is not null)
            {
                return null; // a legacy reference the tokenizer may decode: leave it to the full parse
            }

            sb.Append(value, i, end - i);
            i = end;
        }

        return sb.ToString();
    }

    /// <summary>§13.2.5.75–80 numeric character reference, with the end state's replacements.</summary>
    private static int Numeric(string value, int at, StringBuilder sb)
    {
        var i = at + 2;
        var hex = i < value.Length && (value[i] == 'x' || value[i] == 'X');
        if (hex)
            i++;
        var start = i;
        while (i < value.Length && (hex ? char.IsAsciiHexDigit(value[i]) : char.IsAsciiDigit(value[i])))
            i++;
        if (i == start)
        {
            sb.Append(value, at, i - at); // "absence of digits": nothing is consumed as a reference
            return i;
        }

        var digits = value[start..i];
        if (i < value.Length && value[i] == ';')
            i++;
        var code = long.TryParse(digits, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed <= 0x10FFFF
            ? (int)parsed
            : 0x110000;
        sb.Append(Replacement(code));
        return i;
    }

    /// <summary>§13.2.5.80 numeric character reference end state.</summary>
    private static string Replacement(int code)
    {
        if (code == 0 || code > 0x10FFFF || code is >= 0xD800 and <= 0xDFFF)
            return "\uFFFD";
        if (code is >= 0x80 and <= 0x9F && C1.TryGetValue(code, out var mapped))
            return ((char)mapped).ToString();
        return char.ConvertFromUtf32(code);
    }

    private static readonly Dictionary<int, int> C1 = new()
    {
        [0x80] = 0x20AC, [0x82] = 0x201A, [0x83] = 0x0192, [0x84] = 0x201E, [0x85] = 0x2026, [0x86] = 0x2020, [0x87] = 0x2021,
        [0x88] = 0x02C6, [0x89] = 0x2030, [0x8A] = 0x0160, [0x8B] = 0x2039, [0x8C] = 0x0152, [0x8E] = 0x017D, [0x91] = 0x2018,
        [0x92] = 0x2019, [0x93] = 0x201C, [0x94] = 0x201D, [0x95] = 0x2022, [0x96] = 0x2013, [0x97] = 0x2014, [0x98] = 0x02DC,
        [0x99] = 0x2122, [0x9A] = 0x0161, [0x9B] = 0x203A, [0x9C] = 0x0153, [0x9E] = 0x017E, [0x9F] = 0x0178,
    };
}
