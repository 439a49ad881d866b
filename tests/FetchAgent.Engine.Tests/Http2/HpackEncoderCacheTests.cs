using System.Buffers;
using FetchAgent.Engine.Http2;

namespace FetchAgent.Engine.Tests.Http2;

/// <summary>The encoder's per-field cache: the same octets as encoding afresh, :path never kept, at most its limit.</summary>
public sealed class HpackEncoderCacheTests
{
    private static string Hex(HpackEncoder encoder, List<HpackField> fields)
    {
        var output = new ArrayBufferWriter<byte>();
        encoder.Encode(fields, output);
        return Convert.ToHexString(output.WrittenSpan);
    }

    [Fact]
    public void Cached_fields_encode_to_the_octets_a_fresh_encoding_gives_and_the_path_is_never_kept()
    {
        List<HpackField> Request(int i) =>
        [
            new(":method", "GET"), new(":scheme", "https"), new(":authority", "www.example.com"), new(":path", $"/img/{i}.png"),
            new("user-agent", "FetchAgent/0.1 (+https://github.com/fetchagent)"), new("accept", "image/avif,image/webp,*/*"),
            new("accept-encoding", "gzip, deflate, br"), new("priority", "i"), new("x-long", new string('z', 300)),
        ];
        var cached = new HpackEncoder(cacheFields: true);
        var fresh = new HpackEncoder();

        for (var i = 0; i < 3; i++)
            Assert.Equal(Hex(fresh, Request(i)), Hex(cached, Request(i)));

        // Eight fields kept (the same ones each time), never a :path; the plain encoder keeps none.
        Assert.Equal((8, 0), (cached.CachedFields, fresh.CachedFields));
    }

    [Fact]
    public void The_cache_stops_growing_at_its_limit_and_fields_past_it_are_still_encoded()
    {
        var cached = new HpackEncoder(cacheFields: true);
        var fresh = new HpackEncoder();
        var fields = Enumerable.Range(0, HpackEncoder.CachedFieldLimit + 20).Select(i => new HpackField("x-n", $"value {i}")).ToList();

        Assert.Equal(Hex(fresh, fields), Hex(cached, fields));
        Assert.Equal(HpackEncoder.CachedFieldLimit, cached.CachedFields);
    }
}
