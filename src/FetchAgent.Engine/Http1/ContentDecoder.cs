using System.IO.Compression;
using System.Runtime.InteropServices;

namespace FetchAgent.Engine.Http1;

/// <summary>Undoes Content-Encoding (RFC 9110 §8.4): gzip, deflate, br, identity, in the order they were applied.</summary>
public static class ContentDecoder
{
    private const int CopyChunk = 16 * 1024;

    /// <summary>The decoded bytes; throws <see cref="InvalidDataException"/> with a specific message on bad data or past maxDecodedBytes.</summary>
    public static byte[] Decode(ReadOnlyMemory<byte> content, string? contentEncoding, long maxDecodedBytes)
    {
        var codings = ParseCodings(contentEncoding);
        var current = content;
        // RFC 9110 §8.4: codings are listed in the order applied, so they are undone last first.
        for (var i = codings.Count - 1; i >= 0; i--)
            current = DecodeOne(current, codings[i], maxDecodedBytes, stopAtMax: false, tolerateEnd: false, out _);

        if (current.Length > maxDecodedBytes)
            throw TooLarge(maxDecodedBytes);
        return current.ToArray();
    }

    /// <summary>
    /// At most the first <paramref name="maxDecodedBytes"/> decoded bytes: decoding stops there (never past it, so a
    /// compression bomb costs the cap, not its decoded size) and <paramref name="decodedCut"/> says the body went on.
    /// When <paramref name="inputCut"/> (only a leading part of the coded body was kept), the coded data may end
    /// mid-stream: that end is the end of what can be decoded, not an error.
    /// </summary>
    /// <exception cref="InvalidDataException">Bad coded data, or an unknown coding.</exception>
    public static ReadOnlyMemory<byte> DecodePrefix(ReadOnlyMemory<byte> content, string? contentEncoding, long maxDecodedBytes, bool inputCut, out bool decodedCut)
    {
        var codings = ParseCodings(contentEncoding);
        var current = content;
        decodedCut = inputCut;
        for (var i = codings.Count - 1; i >= 0; i--)
        {
            current = DecodeOne(current, codings[i], maxDecodedBytes, stopAtMax: true, tolerateEnd: decodedCut, out var cut);
            decodedCut |= cut;
        }

        if (current.Length > maxDecodedBytes)
        {
            current = current[..(int)maxDecodedBytes];
            decodedCut = true;
        }

        return current; // no copy: an identity body is the kept bytes themselves

    }

    /// <summary>
    /// The body's size once its codings are undone, when it is known without decoding: the wire size when nothing
    /// changed the bytes; for one gzip coding, the ISIZE trailer (RFC 1952 §2.3.1: the last four bytes, the input size
    /// modulo 2^32; a body of a single member, as servers send). Null for deflate and br (their streams carry no size),
    /// stacked codings, an unknown coding, or a body too short to hold a gzip header and trailer.
    /// </summary>
    public static long? KnownDecodedSize(string? contentEncoding, long wireBytes, uint lastFourBytes)
    {
        if (wireBytes == 0)
            return 0;
        List<string> codings;
        try
        {
            codings = ParseCodings(contentEncoding);
        }
        catch (InvalidDataException)
        {
            return null;
        }

        return codings switch
        {
            [] => wireBytes,
            ["gzip" or "x-gzip"] when wireBytes >= GzipHeaderAndTrailer => lastFourBytes,
            _ => null,
        };
    }

    /// <summary>RFC 1952 §2.3: a 10-byte header and an 8-byte trailer (CRC32, ISIZE) around the deflate data.</summary>
    private const int GzipHeaderAndTrailer = 18;

    /// <summary>The codings that change bytes, lower-cased, in the order listed; identity dropped; unknown ones refused up front.</summary>
    private static List<string> ParseCodings(string? contentEncoding)
    {
        var codings = new List<string>();
        if (string.IsNullOrWhiteSpace(contentEncoding))
            return codings;

        foreach (var part in contentEncoding.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var coding = part.ToLowerInvariant();
            switch (coding)
            {
                case "identity":
                    break;
                case "gzip" or "x-gzip" or "deflate" or "br":
                    codings.Add(coding);
                    break;
                default:
                    throw new InvalidDataException($"unsupported content coding: {part}");
            }
        }

        return codings;
    }

    private static ReadOnlyMemory<byte> DecodeOne(
        ReadOnlyMemory<byte> input, string coding, long maxDecodedBytes, bool stopAtMax, bool tolerateEnd, out bool cut)
    {
        cut = false;
        using var source = AsStream(input);
        using Stream decoder = coding switch
        {
            "gzip" or "x-gzip" => new GZipStream(source, CompressionMode.Decompress),
            "br" => new BrotliStream(source, CompressionMode.Decompress),
            // RFC 9110 §8.4.1.2: "deflate" is zlib (RFC 1950); some servers send raw deflate, which browsers accept.
            _ => HasZlibHeader(input.Span) ? new ZLibStream(source, CompressionMode.Decompress) : new DeflateStream(source, CompressionMode.Decompress),
        };

        // The output grows by doubling but never past the cap (+1 to see a body that goes past it, when that is an
        // error), so a body cut at the cap costs about twice the cap in arrays, not the next power of two above it.
        var room = (int)Math.Min(stopAtMax ? maxDecodedBytes : maxDecodedBytes + 1, Array.MaxLength);
        var output = new byte[(int)Math.Min(Math.Max(input.Length * 4L, CopyChunk), room)];
        var length = 0;
        var chunk = new byte[CopyChunk];
        while (true)
        {
            int read;
            try
            {
                read = decoder.Read(chunk, 0, chunk.Length);
            }
            catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException or IOException)
            {
                // A body cut where it was kept ends mid-stream: what decoded so far is all there is to read.
                if (tolerateEnd)
                    break;
                throw new InvalidDataException($"content decoding failed: {coding}", ex);
            }

            if (read == 0)
                break;
            if ((long)length + read > maxDecodedBytes)
            {
                if (!stopAtMax)
                    throw TooLarge(maxDecodedBytes);
                read = (int)(maxDecodedBytes - length);
                cut = true;
            }

            if (length + read > output.Length)
                Array.Resize(ref output, (int)Math.Min(Math.Max(output.Length * 2L, length + (long)read), room));
            chunk.AsSpan(0, read).CopyTo(output.AsSpan(length));
            length += read;
            if (cut)
                break;
        }

        return output.AsMemory(0, length);
    }

    // RFC 1950 §2.2: CM = 8 (deflate), CINFO <= 7, and (CMF * 256 + FLG) a multiple of 31.
    private static bool HasZlibHeader(ReadOnlySpan<byte> data) =>
        data.Length >= 2 && (data[0] & 0x0F) == 8 && (data[0] >> 4) <= 7 && ((data[0] << 8) | data[1]) % 31 == 0;

    private static MemoryStream AsStream(ReadOnlyMemory<byte> input) =>
        MemoryMarshal.TryGetArray(input, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(input.ToArray(), writable: false);

    private static InvalidDataException TooLarge(long max) => new($"decoded body too large: over {max} bytes");
}
