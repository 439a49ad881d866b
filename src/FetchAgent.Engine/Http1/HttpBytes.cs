using System.Buffers;
using System.Text;

namespace FetchAgent.Engine.Http1;

/// <summary>Delimiters and character classes of the HTTP/1.1 grammar (RFC 9112 §2, RFC 9110 §5.6), as bytes.</summary>
internal static class HttpBytes
{
    public const byte CR = (byte)'\r';
    public const byte LF = (byte)'\n';
    public const byte SP = (byte)' ';
    public const byte HTAB = (byte)'\t';
    public const byte Colon = (byte)':';
    public const byte Semicolon = (byte)';';
    public const byte Dot = (byte)'.';
    public const byte Comma = (byte)',';
    public const byte DQuote = (byte)'"';
    public const byte Backslash = (byte)'\\';

    public static ReadOnlySpan<byte> HttpSlash => "HTTP/"u8;
    public static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    /// <summary>OWS = *( SP / HTAB ), RFC 9110 §5.6.3.</summary>
    public static ReadOnlySpan<byte> Ows => " \t"u8;

    // tchar, RFC 9110 §5.6.2: field names must be tokens, so whitespace before the colon fails here too (RFC 9112 §5.1).
    private static readonly SearchValues<byte> s_tchar =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    // RFC 9110 §5.5: CR, LF and NUL are never valid in a field value; other controls are tolerated as browsers do.
    private static readonly SearchValues<byte> s_invalidInValue = SearchValues.Create([0, CR, LF]);

    private static readonly SearchValues<byte> s_hexDigits = SearchValues.Create("0123456789abcdefABCDEF"u8);

    public static bool IsToken(ReadOnlySpan<byte> span) => !span.IsEmpty && !span.ContainsAnyExcept(s_tchar);

    public static bool IsValidFieldValue(ReadOnlySpan<byte> span) => !span.ContainsAny(s_invalidInValue);

    public static int CountLeadingHexDigits(ReadOnlySpan<byte> span)
    {
        var end = span.IndexOfAnyExcept(s_hexDigits);
        return end < 0 ? span.Length : end;
    }

    public static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        _ => b - 'A' + 10,
    };

    public static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    public static ReadOnlySpan<byte> TrimOws(ReadOnlySpan<byte> span) => span.Trim(Ows);

    /// <summary>Field values are octets; Latin-1 maps each to one char without allocation beyond the string (RFC 9110 §5.5).</summary>
    public static string Latin1(ReadOnlySpan<byte> span) => span.IsEmpty ? string.Empty : Encoding.Latin1.GetString(span);
}
