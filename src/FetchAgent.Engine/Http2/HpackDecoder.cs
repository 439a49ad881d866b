using System.Text;

namespace FetchAgent.Engine.Http2;

/// <summary>
/// Decodes HPACK field blocks (RFC 7541 §6) with the static table, the dynamic table and Huffman strings. One decoder
/// per connection: the dynamic table carries over from block to block, so blocks must be decoded in the order they
/// arrived. Every error is a COMPRESSION_ERROR (RFC 9113 §4.3), which ends the connection.
/// </summary>
public sealed class HpackDecoder
{
    private readonly int _maxTableSize;
    private readonly long _maxFieldListSize;

    /// <param name="maxTableSize">The SETTINGS_HEADER_TABLE_SIZE this side advertised: the largest size update allowed.</param>
    /// <param name="maxFieldListSize">The largest decoded field list (§4.1 sizes) taken before the block fails.</param>
    public HpackDecoder(int maxTableSize = 4096, long maxFieldListSize = 256 * 1024)
    {
        _maxTableSize = maxTableSize;
        _maxFieldListSize = maxFieldListSize;
        Table = new HpackDynamicTable(maxTableSize);
    }

    public HpackDynamicTable Table { get; }

    public List<HpackField> Decode(ReadOnlySpan<byte> block)
    {
        var fields = new List<HpackField>();
        long listSize = 0;
        var at = 0;
        while (at < block.Length)
        {
            var first = block[at];
            HpackField field;
            if ((first & 0x80) != 0)
            {
                // §6.1 indexed field.
                field = Lookup(ReadInteger(block, ref at, 7));
            }
            else if ((first & 0x40) != 0)
            {
                // §6.2.1 literal with incremental indexing.
                field = ReadLiteral(block, ref at, 6);
                Table.Add(field);
            }
            else if ((first & 0x20) != 0)
            {
                // §6.3 dynamic table size update: only at the start of a block (§4.2), never above our setting.
                if (fields.Count > 0)
                    throw Error("HPACK: a dynamic table size update after the first field of a block (RFC 7541 §4.2)");
                var size = ReadInteger(block, ref at, 5);
                if (size > _maxTableSize)
                    throw Error($"HPACK: a dynamic table size update to {size}, above SETTINGS_HEADER_TABLE_SIZE {_maxTableSize} (RFC 7541 §6.3)");
                Table.Resize(size);
                continue;
            }
            else
            {
                // §6.2.2 without indexing (0000) and §6.2.3 never indexed (0001): both 4-bit prefixes.
                field = ReadLiteral(block, ref at, 4);
            }

            listSize += field.Size;
            if (listSize > _maxFieldListSize)
                throw new Http2ProtocolException(Http2ErrorCode.EnhanceYourCalm, $"http2: a field list larger than {_maxFieldListSize} bytes", Model.ErrorKind.Limit);
            fields.Add(field);
        }

        return fields;
    }

    private HpackField Lookup(int index)
    {
        // §2.3.3: 1..61 static, then the dynamic table newest first; 0 and anything beyond is an error.
        if (index >= 1 && index <= HpackStaticTable.Count)
            return HpackStaticTable.Entries[index - 1];
        var dynamic = index - HpackStaticTable.Count;
        if (index >= 1 && dynamic <= Table.Count)
            return Table[dynamic];
        throw Error($"HPACK: index {index} is not in the table ({HpackStaticTable.Count} static + {Table.Count} dynamic entries) (RFC 7541 §2.3.3)");
    }

    private HpackField ReadLiteral(ReadOnlySpan<byte> block, ref int at, int prefix)
    {
        var index = ReadInteger(block, ref at, prefix);
        var name = index == 0 ? ReadString(block, ref at) : Lookup(index).Name;
        var value = ReadString(block, ref at);
        return new HpackField(name, value);
    }

    /// <summary>§5.1: an N-bit prefix, then seven bits an octet while the top bit is set.</summary>
    public static int ReadInteger(ReadOnlySpan<byte> block, ref int at, int prefix)
    {
        if (at >= block.Length)
            throw Error("HPACK: the block ends inside an integer (RFC 7541 §5.1)");
        var max = (1 << prefix) - 1;
        long value = block[at++] & max;
        if (value < max)
            return (int)value;
        var shift = 0;
        while (true)
        {
            if (at >= block.Length)
                throw Error("HPACK: the block ends inside an integer (RFC 7541 §5.1)");
            var b = block[at++];
            value += (long)(b & 0x7f) << shift;
            shift += 7;
            if (value > int.MaxValue || shift > 35)
                throw Error("HPACK: an integer larger than 2^31-1 (RFC 7541 §5.1)");
            if ((b & 0x80) == 0)
                return (int)value;
        }
    }

    private static string ReadString(ReadOnlySpan<byte> block, ref int at)
    {
        if (at >= block.Length)
            throw Error("HPACK: the block ends before a string (RFC 7541 §5.2)");
        var huffman = (block[at] & 0x80) != 0;
        var length = ReadInteger(block, ref at, 7);
        if (length > block.Length - at)
            throw Error($"HPACK: a string of {length} octets with {block.Length - at} left in the block (RFC 7541 §5.2)");
        var raw = block.Slice(at, length);
        at += length;
        return huffman ? Encoding.Latin1.GetString(HpackHuffman.Decode(raw)) : Encoding.Latin1.GetString(raw);
    }

    private static Http2ProtocolException Error(string text) => new(Http2ErrorCode.CompressionError, text);
}
