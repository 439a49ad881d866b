using System.Text;

namespace FetchAgent.Engine.Http1;

/// <summary>
/// The origin-form request target (RFC 9112 §3.2.1: absolute-path [ "?" query ]) as a browser writes it, not as
/// <see cref="Uri.PathAndQuery"/> does. .NET escapes <c>| ^ { } `</c> in the query and a lone <c>%</c> everywhere, and
/// leaves <c>'</c> in the query alone; Chromium (checked against Debian's chromium on a logging server, see
/// RequestTargetTests) sends the query's <c>| ^ { } `</c> raw, <c>'</c> as <c>%27</c>, and a <c>%</c> that starts no
/// escape as it is. A server that logs, signs or routes by the raw target sees what a browser would have sent.
/// </summary>
/// <remarks>
/// Built from <see cref="Uri.OriginalString"/> (the resolved URL with the page's own characters), canonicalized by the
/// browser's rules: backslashes to slashes and dot segments (also <c>%2e</c>) removed in the path; in the path C0
/// controls, space, <c>" # &lt; &gt; ? ` { | } ^</c>, DEL and non-ASCII (as UTF-8) percent-encoded; in the query C0
/// controls, space, <c>" # &lt; &gt; '</c>, DEL and non-ASCII. Existing escapes are kept as written. The result must name
/// the same resource for .NET's own parser as the URL FetchAgent records (compared with <c>'</c> and <c>%27</c> taken
/// as one); anything else falls back to <see cref="Uri.PathAndQuery"/>, so the target never drifts from the record.
/// </remarks>
public static class RequestTarget
{
    private const string PathEscapes = " \"#<>?`{|}^\x7f";
    private const string QueryEscapes = " \"#<>'\x7f";

    public static string For(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var fallback = url.PathAndQuery.Length == 0 ? "/" : url.PathAndQuery;
        if (Canonical(url) is not { } target)
            return fallback;
        return SameResource(url, target) ? target : fallback;
    }

    private static string? Canonical(Uri url)
    {
        var text = url.OriginalString;
        var prefix = url.Scheme + "://";
        if (!text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            return null;
        var rest = text.AsSpan(prefix.Length);
        var authorityEnd = rest.IndexOfAny("/?#\\");
        if (authorityEnd < 0)
            return "/";
        rest = rest[authorityEnd..];
        var hash = rest.IndexOf('#');
        if (hash >= 0)
            rest = rest[..hash];
        var question = rest.IndexOf('?');
        var path = question >= 0 ? rest[..question] : rest;
        var builder = new StringBuilder(rest.Length + 16);
        AppendPath(builder, path.ToString().Replace('\\', '/'));
        if (question >= 0)
        {
            builder.Append('?');
            Append(builder, rest[(question + 1)..], QueryEscapes);
        }

        return builder.ToString();
    }

    /// <summary>RFC 3986 §5.2.4 remove_dot_segments, with <c>%2e</c> as a dot (URL Standard "single-dot segment").</summary>
    private static void AppendPath(StringBuilder builder, string path)
    {
        var output = new List<string>();
        var segments = path.Split('/');
        // segments[0] is the empty string before the leading slash.
        for (var i = 1; i < segments.Length; i++)
        {
            var segment = segments[i];
            var last = i == segments.Length - 1;
            if (IsDot(segment, 1))
            {
                if (last)
                    output.Add(string.Empty);
            }
            else if (IsDot(segment, 2))
            {
                if (output.Count > 0)
                    output.RemoveAt(output.Count - 1);
                if (last)
                    output.Add(string.Empty);
            }
            else
            {
                output.Add(segment);
            }
        }

        if (output.Count == 0)
        {
            builder.Append('/');
            return;
        }

        foreach (var segment in output)
        {
            builder.Append('/');
            Append(builder, segment, PathEscapes);
        }
    }

    private static bool IsDot(string segment, int dots)
    {
        var rest = segment.AsSpan();
        for (var i = 0; i < dots; i++)
        {
            if (rest.StartsWith("."))
                rest = rest[1..];
            else if (rest.StartsWith("%2e", StringComparison.OrdinalIgnoreCase))
                rest = rest[3..];
            else
                return false;
        }

        return rest.IsEmpty;
    }

    private static void Append(StringBuilder builder, ReadOnlySpan<char> text, string escapes)
    {
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < 0x20 || escapes.Contains(c))
            {
                builder.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else if (c < 0x80)
            {
                builder.Append(c);
            }
            else
            {
                var length = char.IsHighSurrogate(c) && i + 1 < text.Length ? 2 : 1;
                var written = Encoding.UTF8.GetBytes(text.Slice(i, length), utf8);
                foreach (var b in utf8[..written])
                    builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                i += length - 1;
            }
        }
    }

    private static bool SameResource(Uri url, string target)
    {
        if (!Uri.TryCreate(url.GetLeftPart(UriPartial.Authority) + target, UriKind.Absolute, out var parsed))
            return false;
        return string.Equals(Normalized(parsed.PathAndQuery), Normalized(url.PathAndQuery), StringComparison.Ordinal);
    }

    private static string Normalized(string pathAndQuery) =>
        pathAndQuery.Replace("%27", "'", StringComparison.OrdinalIgnoreCase);
}
