using System.Buffers;
using FetchAgent.Engine.Http2;

namespace FetchAgent.Engine.Tests.Http2;

/// <summary>RFC 7541 Appendix C, byte for byte: each example's block, the fields it decodes to and the dynamic table after it.</summary>
public sealed class HpackAppendixCTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal));

    private static void Decodes(HpackDecoder decoder, string hex, (string, string)[] fields, (string, string)[] table, int size)
    {
        var decoded = decoder.Decode(Hex(hex));
        Assert.Equal(fields, decoded.Select(f => (f.Name, f.Value)));
        Assert.Equal(table, Enumerable.Range(1, decoder.Table.Count).Select(i => (decoder.Table[i].Name, decoder.Table[i].Value)));
        Assert.Equal(size, decoder.Table.Size);
    }

    [Fact]
    public void C2_1_literal_with_indexing()
    {
        Decodes(new HpackDecoder(), "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572",
            [("custom-key", "custom-header")], [("custom-key", "custom-header")], 55);
    }

    [Fact]
    public void C2_2_literal_without_indexing()
    {
        Decodes(new HpackDecoder(), "040c 2f73 616d 706c 652f 7061 7468", [(":path", "/sample/path")], [], 0);
    }

    [Fact]
    public void C2_3_literal_never_indexed()
    {
        Decodes(new HpackDecoder(), "1008 7061 7373 776f 7264 0673 6563 7265 74", [("password", "secret")], [], 0);
    }

    [Fact]
    public void C2_4_indexed()
    {
        Decodes(new HpackDecoder(), "82", [(":method", "GET")], [], 0);
    }

    [Fact]
    public void C3_requests_without_huffman_share_one_table()
    {
        var decoder = new HpackDecoder();
        Decodes(decoder, "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
            [(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com")],
            [(":authority", "www.example.com")], 57);
        Decodes(decoder, "8286 84be 5808 6e6f 2d63 6163 6865",
            [(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com"), ("cache-control", "no-cache")],
            [("cache-control", "no-cache"), (":authority", "www.example.com")], 110);
        Decodes(decoder, "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65",
            [(":method", "GET"), (":scheme", "https"), (":path", "/index.html"), (":authority", "www.example.com"), ("custom-key", "custom-value")],
            [("custom-key", "custom-value"), ("cache-control", "no-cache"), (":authority", "www.example.com")], 164);
    }

    [Fact]
    public void C4_requests_with_huffman_share_one_table()
    {
        var decoder = new HpackDecoder();
        Decodes(decoder, "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff",
            [(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com")],
            [(":authority", "www.example.com")], 57);
        Decodes(decoder, "8286 84be 5886 a8eb 1064 9cbf",
            [(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com"), ("cache-control", "no-cache")],
            [("cache-control", "no-cache"), (":authority", "www.example.com")], 110);
        Decodes(decoder, "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf",
            [(":method", "GET"), (":scheme", "https"), (":path", "/index.html"), (":authority", "www.example.com"), ("custom-key", "custom-value")],
            [("custom-key", "custom-value"), ("cache-control", "no-cache"), (":authority", "www.example.com")], 164);
    }

    private const string Date21 = "Mon, 21 Oct 2013 20:13:21 GMT";
    private const string Date22 = "Mon, 21 Oct 2013 20:13:22 GMT";
    private const string Location = "https://www.example.com";
    private const string Cookie = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";

    [Fact]
    public void C5_responses_without_huffman_evict_from_a_256_octet_table()
    {
        var decoder = new HpackDecoder(maxTableSize: 256);
        decoder.Table.Resize(256);
        Decodes(decoder, """
            4803 3330 3258 0770 7269 7661 7465 611d
            4d6f 6e2c 2032 3120 4f63 7420 3230 3133
            2032 303a 3133 3a32 3120 474d 546e 1768
            7474 7073 3a2f 2f77 7777 2e65 7861 6d70
            6c65 2e63 6f6d
            """,
            [(":status", "302"), ("cache-control", "private"), ("date", Date21), ("location", Location)],
            [("location", Location), ("date", Date21), ("cache-control", "private"), (":status", "302")], 222);
        Decodes(decoder, "4803 3330 37c1 c0bf",
            [(":status", "307"), ("cache-control", "private"), ("date", Date21), ("location", Location)],
            [(":status", "307"), ("location", Location), ("date", Date21), ("cache-control", "private")], 222);
        Decodes(decoder, """
            88c1 611d 4d6f 6e2c 2032 3120 4f63 7420
            3230 3133 2032 303a 3133 3a32 3220 474d
            54c0 5a04 677a 6970 7738 666f 6f3d 4153
            444a 4b48 514b 425a 584f 5157 454f 5049
            5541 5851 5745 4f49 553b 206d 6178 2d61
            6765 3d33 3630 303b 2076 6572 7369 6f6e
            3d31
            """,
            [(":status", "200"), ("cache-control", "private"), ("date", Date22), ("location", Location), ("content-encoding", "gzip"), ("set-cookie", Cookie)],
            [("set-cookie", Cookie), ("content-encoding", "gzip"), ("date", Date22)], 215);
    }

    [Fact]
    public void C6_responses_with_huffman_evict_from_a_256_octet_table()
    {
        var decoder = new HpackDecoder(maxTableSize: 256);
        decoder.Table.Resize(256);
        Decodes(decoder, """
            4882 6402 5885 aec3 771a 4b61 96d0 7abe
            9410 54d4 44a8 2005 9504 0b81 66e0 82a6
            2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8
            e9ae 82ae 43d3
            """,
            [(":status", "302"), ("cache-control", "private"), ("date", Date21), ("location", Location)],
            [("location", Location), ("date", Date21), ("cache-control", "private"), (":status", "302")], 222);
        Decodes(decoder, "4883 640e ffc1 c0bf",
            [(":status", "307"), ("cache-control", "private"), ("date", Date21), ("location", Location)],
            [(":status", "307"), ("location", Location), ("date", Date21), ("cache-control", "private")], 222);
        Decodes(decoder, """
            88c1 6196 d07a be94 1054 d444 a820 0595
            040b 8166 e084 a62d 1bff c05a 839b d9ab
            77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b
            3960 d5af 2708 7f36 72c1 ab27 0fb5 291f
            9587 3160 65c0 03ed 4ee5 b106 3d50 07
            """,
            [(":status", "200"), ("cache-control", "private"), ("date", Date22), ("location", Location), ("content-encoding", "gzip"), ("set-cookie", Cookie)],
            [("set-cookie", Cookie), ("content-encoding", "gzip"), ("date", Date22)], 215);
    }

    private static string Encoded(bool huffman, params (string Name, string Value)[] fields)
    {
        var output = new ArrayBufferWriter<byte>();
        new HpackEncoder(huffman).Encode(fields.Select(f => new HpackField(f.Name, f.Value)), output);
        return Convert.ToHexString(output.WrittenSpan).ToLowerInvariant();
    }

    [Fact]
    public void The_encoder_writes_C2_2_and_C2_4_as_the_rfc_does()
    {
        Assert.Equal("040c2f73616d706c652f70617468", Encoded(false, (":path", "/sample/path")));
        Assert.Equal("82", Encoded(false, (":method", "GET")));
    }

    [Fact]
    public void The_encoder_writes_C4_1_without_indexing_the_authority()
    {
        // C.4.1 indexes :authority (0x41); this encoder never touches the dynamic table, so 0x01 (§6.2.2), same Huffman string.
        Assert.Equal("828684018cf1e3c2e5f23a6ba0ab90f4ff",
            Encoded(true, (":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com")));
        // cache-control is static entry 24: 15 in the 4-bit prefix, then 9.
        Assert.Equal("0f0986a8eb10649cbf", Encoded(true, ("cache-control", "no-cache")));
        Assert.Equal("008825a849e95ba97d7f8925a849e95bb8e8b4bf", Encoded(true, ("custom-key", "custom-value")));
    }

    [Fact]
    public void Integers_use_the_prefix_and_continuation_octets_of_C1()
    {
        // C.1.2: 1337 in a 5-bit prefix is 1f 9a 0a.
        var output = new ArrayBufferWriter<byte>();
        HpackEncoder.WriteInteger(output, 1337, 5, 0);
        Assert.Equal("1f9a0a", Convert.ToHexString(output.WrittenSpan).ToLowerInvariant());
        var at = 0;
        Assert.Equal(1337, HpackDecoder.ReadInteger(output.WrittenSpan, ref at, 5));
        Assert.Equal(3, at);
    }

    [Fact]
    public void Every_byte_survives_a_huffman_round_trip()
    {
        var all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var coded = new byte[HpackHuffman.EncodedLength(all)];
        HpackHuffman.Encode(all, coded);
        Assert.Equal(all, HpackHuffman.Decode(coded));
    }
}
