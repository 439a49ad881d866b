using System.Globalization;

namespace FetchAgent.Engine.Http1;

/// <summary>The HTTP/1.0 <c>Keep-Alive: timeout=N, max=M</c> header (RFC 2068 §19.7.1.1, the chapter's "Keep-Alive options").</summary>
public readonly record struct KeepAliveParameters(int? TimeoutSeconds, int? MaxRequests)
{
    /// <summary>The parameters of the response's Keep-Alive header; both null when absent or unreadable.</summary>
    /// <remarks>
    /// Grammar as RFC 2068 gives it: a comma-separated list of <c>name[=value]</c>, the value a token or a
    /// quoted-string (RFC 9110 §5.6.4). Names are case-insensitive; unknown names and unparsable numbers are ignored;
    /// the first occurrence of a name wins.
    /// </remarks>
    public static KeepAliveParameters From(ResponseHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        int? timeout = null;
        int? max = null;
        bool timeoutSeen = false, maxSeen = false;
        foreach (var value in head.GetValues("Keep-Alive"))
        {
            var position = 0;
            while (NextParameter(value, ref position, out var name, out var parameterValue))
            {
                if (!timeoutSeen && name.Equals("timeout", StringComparison.OrdinalIgnoreCase))
                {
                    timeoutSeen = true;
                    timeout = ParseNumber(parameterValue);
                }
                else if (!maxSeen && name.Equals("max", StringComparison.OrdinalIgnoreCase))
                {
                    maxSeen = true;
                    max = ParseNumber(parameterValue);
                }
            }
        }

        return new KeepAliveParameters(timeout, max);
    }

    private static int? ParseNumber(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;

    /// <summary>Reads the next <c>name[=value]</c> list element from position; false at the end of the text.</summary>
    private static bool NextParameter(string text, ref int position, out string name, out string? value)
    {
        name = string.Empty;
        value = null;
        while (true)
        {
            // Skip OWS and empty list elements (RFC 9110 §5.6.1).
            while (position < text.Length && text[position] is ' ' or '\t' or ',')
                position++;
            if (position >= text.Length)
                return false;

            var nameStart = position;
            while (position < text.Length && text[position] is not ('=' or ',' or ' ' or '\t'))
                position++;
            name = text[nameStart..position];
            SkipWhitespace(text, ref position);

            if (position < text.Length && text[position] == '=')
            {
                position++;
                SkipWhitespace(text, ref position);
                value = position < text.Length && text[position] == '"' ? ReadQuoted(text, ref position) : ReadToken(text, ref position);
            }

            // Anything else up to the next comma belongs to a malformed element: skip it.
            while (position < text.Length && text[position] != ',')
                position++;
            return true;
        }
    }

    private static void SkipWhitespace(string text, ref int position)
    {
        while (position < text.Length && text[position] is ' ' or '\t')
            position++;
    }

    private static string ReadToken(string text, ref int position)
    {
        var start = position;
        while (position < text.Length && text[position] is not (',' or ' ' or '\t'))
            position++;
        return text[start..position];
    }

    // quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE (RFC 9110 §5.6.4).
    private static string ReadQuoted(string text, ref int position)
    {
        position++;
        var builder = new System.Text.StringBuilder();
        while (position < text.Length)
        {
            var c = text[position++];
            if (c == '"')
                break;
            if (c == '\\' && position < text.Length)
                c = text[position++];
            builder.Append(c);
        }

        return builder.ToString();
    }
}
