using System.Text;

namespace FetchAgent.Engine.Discovery;

/// <summary>Turns an attribute or CSS URL string into the absolute http(s) URL a browser would fetch.</summary>
internal static class ReferenceUrl
{
    /// <summary>
    /// Resolves <paramref name="raw"/> against <paramref name="baseUrl"/> and drops the fragment (it is never sent).
    /// Returns null for empty values, fragment-only references and schemes that are not fetched over the network
    /// (data:, javascript:, about:, mailto:, blob: …). <paramref name="queryEncoding"/> is the document's encoding:
    /// HTML §2.4.2 "encoding-parse a URL" percent-encodes the query in it, while the path is always UTF-8 (URL §4.4).
    /// </summary>
    public static Uri? Resolve(string? raw, Uri baseUrl, Encoding? queryEncoding = null)
    {
        if (raw is null)
        {
            return null;
        }

        // URL §4.4 basic URL parser: strip leading/trailing C0 controls and spaces, remove tabs and newlines.
        var text = raw.Trim(C0AndSpace).Replace("\t", "", StringComparison.Ordinal)
            .Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal);
        if (text.Length == 0 || text[0] == '#')
        {
            return null;
        }

        if (queryEncoding is not null && queryEncoding.CodePage != 65001)
        {
            text = EncodeQuery(text, queryEncoding);
        }

        if (!Uri.TryCreate(baseUrl, text, out var resolved) || !resolved.IsAbsoluteUri)
        {
            return null;
        }

        if (resolved.Scheme != Uri.UriSchemeHttp && resolved.Scheme != Uri.UriSchemeHttps)
        {
            return null;
        }

        return resolved.Fragment.Length == 0 ? resolved : new Uri(resolved.GetLeftPart(UriPartial.Query));
    }

    private static readonly char[] C0AndSpace = Enumerable.Range(0, 0x21).Select(i => (char)i).ToArray();

    /// <summary>Percent-encodes the non-ASCII characters of the query in the document's encoding.</summary>
    private static string EncodeQuery(string text, Encoding encoding)
    {
        var q = text.IndexOf('?', StringComparison.Ordinal);
        if (q < 0)
        {
            return text;
        }

        var hash = text.IndexOf('#', q);
        var end = hash < 0 ? text.Length : hash;
        var query = text[(q + 1)..end];
        if (query.All(char.IsAscii))
        {
            return text;
        }

        // An unmappable character becomes "&#N;" (URL §1.3 "percent-encode after encoding", encode-or-fail).
        var strict = Encoding.GetEncoding(encoding.CodePage, EncoderFallback.ExceptionFallback, DecoderFallback.ReplacementFallback);
        var sb = new StringBuilder(text.Length * 2).Append(text, 0, q + 1);
        for (var i = 0; i < query.Length; i++)
        {
            var len = char.IsHighSurrogate(query[i]) && i + 1 < query.Length ? 2 : 1;
            var unit = query.Substring(i, len);
            i += len - 1;
            if (unit.Length == 1 && char.IsAscii(unit[0]))
            {
                sb.Append(unit);
                continue;
            }

            byte[] bytes;
            try
            {
                bytes = strict.GetBytes(unit);
            }
            catch (EncoderFallbackException)
            {
                bytes = Encoding.ASCII.GetBytes($"&#{char.ConvertToUtf32(unit, 0)};");
            }

            foreach (var b in bytes)
            {
                sb.Append(b < 0x80 && b != '&' && b != '#' && b != ';' ? ((char)b).ToString() : $"%{b:X2}");
            }
        }

        return sb.Append(text, end, text.Length - end).ToString();
    }
}
