using FetchAgent.Engine.Http2;

namespace FetchAgent.Engine.Tests.Http2;

/// <summary>Blocks a hostile server could send: each is a COMPRESSION_ERROR with its own text.</summary>
public sealed class HpackErrorTests
{
    private static Http2ProtocolException Fails(string hex, HpackDecoder? decoder = null)
    {
        var error = Assert.Throws<Http2ProtocolException>(() => (decoder ?? new HpackDecoder()).Decode(Convert.FromHexString(hex)));
        return error;
    }

    [Fact]
    public void An_index_beyond_both_tables()
    {
        var error = Fails("be");
        Assert.Equal(Http2ErrorCode.CompressionError, error.Code);
        Assert.Equal("HPACK: index 62 is not in the table (61 static + 0 dynamic entries) (RFC 7541 §2.3.3)", error.Message);
    }

    [Fact]
    public void Index_zero()
    {
        Assert.Equal("HPACK: index 0 is not in the table (61 static + 0 dynamic entries) (RFC 7541 §2.3.3)", Fails("80").Message);
    }

    [Fact]
    public void A_size_update_above_the_setting()
    {
        // 001 11111, then 0xe2 0x1f: 31 + 98 + (31 << 7) = 4097.
        Assert.Equal("HPACK: a dynamic table size update to 4097, above SETTINGS_HEADER_TABLE_SIZE 4096 (RFC 7541 §6.3)", Fails("3fe21f").Message);
    }

    [Fact]
    public void A_size_update_after_a_field()
    {
        Assert.Equal("HPACK: a dynamic table size update after the first field of a block (RFC 7541 §4.2)", Fails("8220").Message);
    }

    [Fact]
    public void A_string_longer_than_the_block()
    {
        Assert.Equal("HPACK: a string of 10 octets with 2 left in the block (RFC 7541 §5.2)", Fails("040a2f73").Message);
    }

    [Fact]
    public void Huffman_padding_that_is_not_ones()
    {
        // 'a' is 00011 (5 bits): 00011 000 pads with zeros (0x81: Huffman, one octet).
        Assert.Equal("HPACK: a Huffman string's padding is not the EOS prefix (RFC 7541 §5.2)", Fails("048118").Message);
    }

    [Fact]
    public void Huffman_padding_of_a_whole_octet()
    {
        // 'a' then a full octet of ones: eight bits of padding.
        Assert.Equal("HPACK: a Huffman string ends in 11 bits of padding (RFC 7541 §5.2 allows at most 7)", Fails("04821fff").Message);
    }

    [Fact]
    public void An_integer_that_overflows()
    {
        Assert.Equal("HPACK: an integer larger than 2^31-1 (RFC 7541 §5.1)", Fails("ffffffffff7f").Message);
    }
}
