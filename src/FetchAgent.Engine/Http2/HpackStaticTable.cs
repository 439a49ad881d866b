using System.Collections.Frozen;

namespace FetchAgent.Engine.Http2;

/// <summary>The 61 entries of RFC 7541 Appendix A; index 1 is the first.</summary>
public static class HpackStaticTable
{
    public static readonly HpackField[] Entries =
    [
        new(":authority", ""),
        new(":method", "GET"),
        new(":method", "POST"),
        new(":path", "/"),
        new(":path", "/index.html"),
        new(":scheme", "http"),
        new(":scheme", "https"),
        new(":status", "200"),
        new(":status", "204"),
        new(":status", "206"),
        new(":status", "304"),
        new(":status", "400"),
        new(":status", "404"),
        new(":status", "500"),
        new("accept-charset", ""),
        new("accept-encoding", "gzip, deflate"),
        new("accept-language", ""),
        new("accept-ranges", ""),
        new("accept", ""),
        new("access-control-allow-origin", ""),
        new("age", ""),
        new("allow", ""),
        new("authorization", ""),
        new("cache-control", ""),
        new("content-disposition", ""),
        new("content-encoding", ""),
        new("content-language", ""),
        new("content-length", ""),
        new("content-location", ""),
        new("content-range", ""),
        new("content-type", ""),
        new("cookie", ""),
        new("date", ""),
        new("etag", ""),
        new("expect", ""),
        new("expires", ""),
        new("from", ""),
        new("host", ""),
        new("if-match", ""),
        new("if-modified-since", ""),
        new("if-none-match", ""),
        new("if-range", ""),
        new("if-unmodified-since", ""),
        new("last-modified", ""),
        new("link", ""),
        new("location", ""),
        new("max-forwards", ""),
        new("proxy-authenticate", ""),
        new("proxy-authorization", ""),
        new("range", ""),
        new("referer", ""),
        new("refresh", ""),
        new("retry-after", ""),
        new("server", ""),
        new("set-cookie", ""),
        new("strict-transport-security", ""),
        new("transfer-encoding", ""),
        new("user-agent", ""),
        new("vary", ""),
        new("via", ""),
        new("www-authenticate", ""),
    ];

    public static int Count => Entries.Length;

    /// <summary>Each name's first index and each (name, value) pair's index, looked up once per field the encoder writes.</summary>
    private static readonly FrozenDictionary<string, int> FirstByName = Entries
        .Select((entry, i) => (entry.Name, Index: i + 1)).DistinctBy(e => e.Name).ToFrozenDictionary(e => e.Name, e => e.Index, StringComparer.Ordinal);

    private static readonly FrozenDictionary<(string, string), int> ByField = Entries
        .Select((entry, i) => (Field: (entry.Name, entry.Value), Index: i + 1)).DistinctBy(e => e.Field).ToFrozenDictionary(e => e.Field, e => e.Index);

    /// <summary>The index of an entry with this name and value, or 0.</summary>
    public static int IndexOf(string name, string value) =>
        FirstByName.ContainsKey(name) && ByField.TryGetValue((name, value), out var index) ? index : 0;

    /// <summary>The first index with this name, or 0.</summary>
    public static int IndexOfName(string name) => FirstByName.TryGetValue(name, out var index) ? index : 0;
}
