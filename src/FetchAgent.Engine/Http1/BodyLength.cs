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
            if (string.Equals(finalCoding, "chunked", StringComparison.OrdinalIgnoreCase))
                return new(BodyFraming.Chunked, -1);

            // §6.3 rule 3: both fields "ought to be handled as an error". With chunked last the chunks still say
            // where the body ends; without it nothing does but the server's close, so waiting for that (up to the
            // object's deadline) would only hide a framing the two fields contradict. Fail at once.
            if (HasField(head, "Content-Length"))
            {
                throw new HttpProtocolException(ResponseRejection.TransferEncodingWithContentLength,
                    $"invalid framing: Transfer-Encoding {finalCoding} (not chunked last) with Content-Length");
            }

            return new(BodyFraming.CloseDelimited, -1);
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

    private static bool HasField(ResponseHead head, string name)
    {
        foreach (var field in head.Headers)
        {
            if (field.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                return true;
        }

        return false;
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
                if (parsed == Overflow)
                {
                    throw new HttpProtocolException(ResponseRejection.ContentLengthTooLarge,
                        $"Content-Length too large: {Shorten(item.ToString())}");
                }

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

    /// <summary><see cref="ParseDigits"/>: all digits, but more than a 64-bit length can hold.</summary>
    private const long Overflow = -2;

    // Content-Length = 1*DIGIT (RFC 9110 §8.6): no sign, no spaces inside. A valid value past 64 bits is not
    // "invalid" but too large for any body we could read (§8.6: a recipient "MUST anticipate potentially large
    // decimal numerals and prevent parsing errors due to integer conversion overflows").
    private static long ParseDigits(ReadOnlySpan<char> digits)
    {
        long value = 0;
        var overflow = false;
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
                return -1;
            if (overflow || value > (long.MaxValue - (c - '0')) / 10)
            {
                overflow = true;
                continue;
            }

            value = (value * 10) + (c - '0');
        }

        return overflow ? Overflow : value;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";

    private static HttpProtocolException Invalid(string value) =>
        new(ResponseRejection.InvalidContentLength, $"invalid Content-Length: {value}");
}
