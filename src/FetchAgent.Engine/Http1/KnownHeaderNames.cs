
namespace FetchAgent.Engine.Http1;

/// <summary>
/// Interned names of common response fields, so a typical header section allocates only its values
/// (the same trick as Kestrel's known headers). Matching is exact-case; other spellings are allocated as received.
/// </summary>
internal static class KnownHeaderNames
{
    private static readonly string[] s_names =
    [
        "Accept-Ranges", "Age", "Alt-Svc", "Cache-Control", "Connection", "Content-Encoding", "Content-Language",
        "Content-Length", "Content-Security-Policy", "Content-Type", "Date", "ETag", "Expires", "Keep-Alive",
        "Last-Modified", "Link", "Location", "Server", "Set-Cookie", "Strict-Transport-Security", "Trailer",
        "Transfer-Encoding", "Vary", "Via", "X-Content-Type-Options", "X-Frame-Options",
        "connection", "content-encoding", "content-length", "content-type", "date", "keep-alive", "server",
        "transfer-encoding", "cache-control", "etag", "last-modified", "vary",
    ];

    private static readonly byte[][] s_bytes = s_names.Select(n => System.Text.Encoding.ASCII.GetBytes(n)).ToArray();

    public static string Get(ReadOnlySpan<byte> name)
    {
        var bytes = s_bytes;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i].Length == name.Length && name.SequenceEqual(bytes[i]))
                return s_names[i];
        }

        return HttpBytes.Latin1(name);
    }
}
