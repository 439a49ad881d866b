namespace FetchAgent.Engine.Http2;

/// <summary>
/// The Huffman code of RFC 7541 Appendix B. It is canonical: codes are handed out in order of length and, within a
/// length, of symbol, so the table is spelt here as the symbols of each code length and the codes are computed.
/// </summary>
public static class HpackHuffman
{
    /// <summary>The end-of-string symbol (§5.2): its prefix is the only padding allowed, and it must never be decoded.</summary>
    public const int EndOfString = 256;

    private static readonly (int Length, int[] Symbols)[] SymbolsByLength =
    [
        (5, [48, 49, 50, 97, 99, 101, 105, 111, 115, 116]),
        (6, [32, 37, 45, 46, 47, 51, 52, 53, 54, 55, 56, 57, 61, 65, 95, 98, 100, 102, 103, 104, 108, 109, 110, 112, 114, 117]),
        (7, [58, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 89, 106, 107, 113, 118, 119, 120, 121, 122]),
        (8, [38, 42, 44, 59, 88, 90]),
        (10, [33, 34, 40, 41, 63]),
        (11, [39, 43, 124]),
        (12, [35, 62]),
        (13, [0, 36, 64, 91, 93, 126]),
        (14, [94, 125]),
        (15, [60, 96, 123]),
        (19, [92, 195, 208]),
        (20, [128, 130, 131, 162, 184, 194, 224, 226]),
        (21, [153, 161, 167, 172, 176, 177, 179, 209, 216, 217, 227, 229, 230]),
        (22, [129, 132, 133, 134, 136, 146, 154, 156, 160, 163, 164, 169, 170, 173, 178, 181, 185, 186, 187, 189, 190, 196, 198, 228, 232, 233]),
        (23, [1, 135, 137, 138, 139, 140, 141, 143, 147, 149, 150, 151, 152, 155, 157, 158, 165, 166, 168, 174, 175, 180, 182, 183, 188, 191, 197, 231, 239]),
        (24, [9, 142, 144, 145, 148, 159, 171, 206, 215, 225, 236, 237]),
        (25, [199, 207, 234, 235]),
        (26, [192, 193, 200, 201, 202, 205, 210, 213, 218, 219, 238, 240, 242, 243, 255]),
        (27, [203, 204, 211, 212, 214, 221, 222, 223, 241, 244, 245, 246, 247, 248, 250, 251, 252, 253, 254]),
        (28, [2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127, 220, 249]),
        (30, [10, 13, 22, 256]),
    ];

    private const int LongestCode = 30;

    /// <summary>Each symbol's code, right-aligned, and its length in bits.</summary>
    private static readonly (uint Code, int Length)[] Codes = new (uint, int)[257];

    /// <summary>For each length: the first code of that length and the symbols it numbers from there.</summary>
    private static readonly (uint First, int[] Symbols)?[] ByLength = new (uint, int[])?[LongestCode + 1];

    static HpackHuffman()
    {
        uint code = 0;
        var previous = SymbolsByLength[0].Length;
        foreach (var (length, symbols) in SymbolsByLength)
        {
            code <<= length - previous;
            previous = length;
            ByLength[length] = (code, symbols);
            foreach (var symbol in symbols)
                Codes[symbol] = (code++, length);
        }
    }

    /// <summary>The encoded length in octets, padding included.</summary>
    public static int EncodedLength(ReadOnlySpan<byte> data)
    {
        long bits = 0;
        foreach (var b in data)
            bits += Codes[b].Length;
        return (int)((bits + 7) / 8);
    }

    /// <summary>Encodes <paramref name="data"/>, padding the last octet with the EOS prefix (ones), §5.2.</summary>
    public static void Encode(ReadOnlySpan<byte> data, Span<byte> output)
    {
        ulong pending = 0;
        var bits = 0;
        var at = 0;
        foreach (var b in data)
        {
            var (code, length) = Codes[b];
            pending = (pending << length) | code;
            bits += length;
            while (bits >= 8)
            {
                bits -= 8;
                output[at++] = (byte)(pending >> bits);
            }
        }

        if (bits > 0)
            output[at] = (byte)((pending << (8 - bits)) | (0xffu >> bits));
    }

    /// <summary>Decodes a Huffman string literal; a bad code, EOS inside or bad padding is a COMPRESSION_ERROR (§5.2).</summary>
    public static byte[] Decode(ReadOnlySpan<byte> data)
    {
        var output = new List<byte>(data.Length * 8 / 5);
        uint code = 0;
        var length = 0;
        foreach (var b in data)
        {
            for (var bit = 7; bit >= 0; bit--)
            {
                code = (code << 1) | (uint)((b >> bit) & 1);
                length++;
                if (ByLength[length] is { } entry && code - entry.First < (uint)entry.Symbols.Length && code >= entry.First)
                {
                    var symbol = entry.Symbols[code - entry.First];
                    if (symbol == EndOfString)
                        throw Error("HPACK: a Huffman string holds the EOS symbol (RFC 7541 §5.2)");
                    output.Add((byte)symbol);
                    code = 0;
                    length = 0;
                }
                else if (length >= LongestCode)
                {
                    throw Error("HPACK: a Huffman string holds a code that is no symbol (RFC 7541 §5.2)");
                }
            }
        }

        // §5.2: padding longer than 7 bits, or not the most significant bits of EOS (all ones), is an error.
        if (length > 7)
            throw Error($"HPACK: a Huffman string ends in {length} bits of padding (RFC 7541 §5.2 allows at most 7)");
        if (code != (1u << length) - 1)
            throw Error("HPACK: a Huffman string's padding is not the EOS prefix (RFC 7541 §5.2)");
        return [.. output];
    }

    private static Http2ProtocolException Error(string text) => new(Http2ErrorCode.CompressionError, text);
}
