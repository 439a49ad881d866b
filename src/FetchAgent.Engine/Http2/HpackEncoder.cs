using System.Buffers;
using System.Collections.Concurrent;
using System.Text;

namespace FetchAgent.Engine.Http2;

/// <summary>
/// Encodes request fields (RFC 7541 §6) without touching the dynamic table: a field the static table holds whole is
/// an index (§6.1), any other a literal without indexing (§6.2.2) naming a static entry where one has its name. So
/// the server's decoder state never depends on ours, and SETTINGS_HEADER_TABLE_SIZE of any value is safe.
/// </summary>
public sealed class HpackEncoder
{
    /// <summary>The most fields <see cref="Encode(HpackField, IBufferWriter{byte})"/> keeps the octets of.</summary>
    public const int CachedFieldLimit = 128;

    private readonly ConcurrentDictionary<HpackField, byte[]>? _encoded;

    /// <param name="huffman">Whether strings go Huffman-coded when that is shorter (§5.2).</param>
    /// <param name="cacheFields">
    /// Keep the octets of each field once encoded (:path aside, the one that changes with every request), up to
    /// <see cref="CachedFieldLimit"/> fields: a connection's requests repeat the same user-agent, accept and priority
    /// fields, and since this encoder never touches the dynamic table a field's octets never change. Safe for
    /// callers on several threads at once.
    /// </param>
    public HpackEncoder(bool huffman = true, bool cacheFields = false)
    {
        Huffman = huffman;
        _encoded = cacheFields ? new ConcurrentDictionary<HpackField, byte[]>() : null;
    }

    /// <summary>Whether strings go Huffman-coded when that is shorter (§5.2).</summary>
    public bool Huffman { get; }

    public void Encode(IEnumerable<HpackField> fields, IBufferWriter<byte> output)
    {
        foreach (var field in fields)
            Encode(field, output);
    }

    /// <summary>The same, for a list without the enumerator's box: the request path encodes one per stream.</summary>
    public void Encode(List<HpackField> fields, IBufferWriter<byte> output)
    {
        foreach (var field in fields)
            Encode(field, output);
    }

    public void Encode(HpackField field, IBufferWriter<byte> output)
    {
        if (_encoded is null || field.Name == ":path")
        {
            EncodeAfresh(field, output);
            return;
        }

        if (!_encoded.TryGetValue(field, out var octets))
        {
            var fresh = new ArrayBufferWriter<byte>(field.Name.Length + field.Value.Length + 8);
            EncodeAfresh(field, fresh);
            octets = fresh.WrittenSpan.ToArray();
            if (_encoded.Count < CachedFieldLimit)
                _encoded.TryAdd(field, octets);
        }

        output.Write(octets);
    }

    /// <summary>Cached octets so far (a test's window into the cache).</summary>
    public int CachedFields => _encoded?.Count ?? 0;

    private void EncodeAfresh(HpackField field, IBufferWriter<byte> output)
    {
        var index = HpackStaticTable.IndexOf(field.Name, field.Value);
        if (index > 0)
        {
            WriteInteger(output, index, 7, 0x80);
            return;
        }

        var nameIndex = HpackStaticTable.IndexOfName(field.Name);
        WriteInteger(output, nameIndex, 4, 0x00);
        if (nameIndex == 0)
            WriteString(output, field.Name);
        WriteString(output, field.Value);
    }

    /// <summary>§5.1: the value in an N-bit prefix, the rest seven bits an octet.</summary>
    public static void WriteInteger(IBufferWriter<byte> output, int value, int prefix, byte pattern)
    {
        var span = output.GetSpan(6);
        var max = (1 << prefix) - 1;
        if (value < max)
        {
            span[0] = (byte)(pattern | value);
            output.Advance(1);
            return;
        }

        span[0] = (byte)(pattern | max);
        var n = 1;
        value -= max;
        while (value >= 0x80)
        {
            span[n++] = (byte)((value & 0x7f) | 0x80);
            value >>= 7;
        }

        span[n++] = (byte)value;
        output.Advance(n);
    }

    private void WriteString(IBufferWriter<byte> output, string text)
    {
        // The octets (Latin-1, one per char) in a stack buffer for the usual field, a pooled one for a long one.
        byte[]? rented = null;
        var raw = text.Length <= 256 ? stackalloc byte[text.Length] : (rented = ArrayPool<byte>.Shared.Rent(text.Length)).AsSpan(0, text.Length);
        Encoding.Latin1.GetBytes(text, raw);
        var coded = Huffman ? HpackHuffman.EncodedLength(raw) : int.MaxValue;
        if (coded < raw.Length)
        {
            WriteInteger(output, coded, 7, 0x80);
            HpackHuffman.Encode(raw, output.GetSpan(coded));
            output.Advance(coded);
        }
        else
        {
            WriteInteger(output, raw.Length, 7, 0x00);
            output.Write(raw);
        }

        if (rented is not null)
            ArrayPool<byte>.Shared.Return(rented);
    }
}
