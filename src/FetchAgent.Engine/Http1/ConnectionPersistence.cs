namespace FetchAgent.Engine.Http1;

/// <summary>RFC 9112 §9.3: may the connection carry another request after this response?</summary>
public static class ConnectionPersistence
{
    /// <summary>
    /// HTTP/1.1: persistent unless a <c>close</c> connection option; HTTP/1.0: only with <c>keep-alive</c>;
    /// never after a close-delimited body.
    /// </summary>
    public static bool IsPersistent(ResponseHead head, BodyFraming framing)
    {
        ArgumentNullException.ThrowIfNull(head);

        // §6.3 rule 8: the close is what ended the body.
        if (framing == BodyFraming.CloseDelimited)
            return false;

        // §9.3: a "close" connection option ends the connection whatever the version.
        if (HasConnectionOption(head, "close"))
            return false;

        if (head.Major != 1)
            return false;

        if (head.Minor >= 1)
            return true;

        // §6.1: Transfer-Encoding in an HTTP/1.0 message means faulty framing; close after it.
        if (head.Get("Transfer-Encoding") is not null)
            return false;

        // §9.3 and Appendix C.2.2: HTTP/1.0 persists only on an explicit keep-alive.
        return HasConnectionOption(head, "keep-alive");
    }

    /// <summary>Whether a Connection field (RFC 9110 §7.6.1) lists the option; tokens are case-insensitive.</summary>
    public static bool HasConnectionOption(ResponseHead head, string option)
    {
        ArgumentNullException.ThrowIfNull(head);
        foreach (var value in head.GetValues("Connection"))
        {
            foreach (var range in value.AsSpan().Split(','))
            {
                if (value.AsSpan(range).Trim(" \t").Equals(option, StringComparison.OrdinalIgnoreCase))
                    return true;
            }
        }

        return false;
    }
}
