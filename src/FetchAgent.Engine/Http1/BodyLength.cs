namespace FetchAgent.Engine.Http1;

/// <summary>How a response's body is delimited, decided in the order of RFC 9112 §6.3.</summary>
internal readonly record struct BodyLength(BodyFraming Framing, long ContentLength)
{
    public static BodyLength Determine(ResponseHead head, string requestMethod)
    {
        var status = head.StatusCode;

        // §6.3 rule 1: HEAD, 1xx, 204, 304 never have a body, whatever the fields say.
        if (requestMethod == "HEAD" || status is < 200 or 204 or 304)
            return new(BodyFraming.None, 0);

        // §6.3 rule 2: a 2xx to CONNECT turns the connection into a tunnel.
        if (requestMethod == "CONNECT" && status is >= 200 and < 300)
            return new(BodyFraming.None, 0);

        // §6.3 rules 3–4: Transfer-Encoding overrides Content-Length; chunked must be the final coding,
        // otherwise a response is read until the server closes.
        if (FinalTransferCoding(head) is { } finalCoding)
        {
            return string.Equals(finalCoding, "chunked", StringComparison.OrdinalIgnoreCase)
                ? new(BodyFraming.Chunked, -1)
                : new(BodyFraming.CloseDelimited, -1);
        }

        // §6.3 rule 5: a valid Content-Length; a list of identical values is one value (RFC 9110 §8.6).
        var length = ParseContentLength(head);
        if (length >= 0)
            return new(BodyFraming.ContentLength, length);

        // §6.3 rule 8: a response without either reads until close.
        return new(BodyFraming.CloseDelimited, -1);
    }

    /// <summary>The last coding named by all Transfer-Encoding fields; "" when present but empty; null when absent.</summary>
    private static string? FinalTransferCoding(ResponseHead head)
    {
        string? final = null;
        foreach (var field in head.Headers)
        {
            // A plain loop instead of GetValues: no iterator allocated per response on the hot path.
            if (!field.Name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                continue;
            var value = field.Value;
            final ??= string.Empty;
            foreach (var range in value.AsSpan().Split(','))
            {
                var coding = value.AsSpan(range).Trim(" \t");
                // A coding may carry parameters (RFC 9110 §10.1.4); only its name matters here.
                var semicolon = coding.IndexOf(';');
                if (semicolon >= 0)
                    coding = coding[..semicolon].TrimEnd(" \t");
                if (!coding.IsEmpty)
                    final = coding.ToString();
            }
        }

        return final;
    }

    /// <summary>The Content-Length, or -1 when absent.</summary>
    private static long ParseContentLength(ResponseHead head)
    {
        long length = -1;
        foreach (var field in head.Headers)
        {
            if (!field.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                continue;
            var value = field.Value;
            var any = false;
            foreach (var range in value.AsSpan().Split(','))
            {
                var item = value.AsSpan(range).Trim(" \t");
                // RFC 9110 §5.6.1: empty list elements are ignored.
                if (item.IsEmpty)
                    continue;
                any = true;
                var parsed = ParseDigits(item);
                if (parsed < 0)
                    throw Invalid(value);
                if (length >= 0 && parsed != length)
                {
                    throw new HttpProtocolException(ResponseRejection.ConflictingContentLength,
                        $"conflicting Content-Length: {length} and {parsed}");
                }

                length = parsed;
            }

            if (!any)
                throw Invalid(value);
        }

        return length;
    }

    // Content-Length = 1*DIGIT (RFC 9110 §8.6): no sign, no spaces inside, no overflow.
    private static long ParseDigits(ReadOnlySpan<char> digits)
    {
        long value = 0;
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
                return -1;
            if (value > (long.MaxValue - 9) / 10)
                return -1;
            value = (value * 10) + (c - '0');
        }

        return value;
    }

    private static HttpProtocolException Invalid(string value) =>
        new(ResponseRejection.InvalidContentLength, $"invalid Content-Length: {value}");
}
