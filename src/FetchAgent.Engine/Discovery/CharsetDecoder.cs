using System.Buffers;
using System.Text;

namespace FetchAgent.Engine.Discovery;

/// <summary>How sure the decoder is of an encoding (HTML §13.2.3.1 "confidence").</summary>
internal enum CharsetConfidence
{
    Tentative,
    Certain,
}

/// <summary>Text decoded from bytes, with the encoding used and how it was chosen.</summary>
internal sealed record CharsetDecoded(string Text, Encoding Encoding, CharsetConfidence Confidence);

/// <summary>Byte-order-mark sniffing, Content-Type charset and the decode step shared by HTML and CSS.</summary>
internal static class CharsetDecoder
{
    /// <summary>Encoding §6 "BOM sniff": a BOM wins over every label.</summary>
    public static (Encoding? Encoding, int Length) SniffBom(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
        {
            return (CharsetLabels.Utf8, 3);
        }

        if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF)
        {
            return (Encoding.BigEndianUnicode, 2);
        }

        if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE)
        {
            return (Encoding.Unicode, 2);
        }

        return (null, 0);
    }

    /// <summary>The <c>charset</c> parameter of a Content-Type value (RFC 9110 §8.3.2), or null.</summary>
    public static string? CharsetParameter(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return null;
        }

        foreach (var part in contentType.Split(';').Skip(1))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0 || !part[..eq].Trim().Equals("charset", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var value = part[(eq + 1)..].Trim();
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            {
                value = value[1..^1];
            }

            return value;
        }

        return null;
    }

    /// <summary>Decodes after skipping <paramref name="skip"/> bytes (a BOM); never throws.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, Encoding encoding, int skip = 0) => encoding.GetString(bytes[skip..]);

    /// <summary>
    /// As <see cref="Decode"/>, into a buffer rented from <see cref="ArrayPool{T}.Shared"/> rather than a new string;
    /// the text is its first <paramref name="length"/> chars. The caller returns the buffer.
    /// </summary>
    public static char[] DecodePooled(ReadOnlySpan<byte> bytes, Encoding encoding, int skip, out int length)
    {
        var input = bytes[skip..];
        var buffer = ArrayPool<char>.Shared.Rent(encoding.GetMaxCharCount(input.Length));
        length = encoding.GetChars(input, buffer);
        return buffer;
    }

    /// <summary>True when every byte sequence is well-formed UTF-8 (used to guess an undeclared document's encoding).</summary>
    public static bool IsValidUtf8(ReadOnlySpan<byte> bytes) => System.Text.Unicode.Utf8.IsValid(bytes);
}
