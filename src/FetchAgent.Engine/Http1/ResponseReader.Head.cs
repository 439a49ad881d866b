namespace FetchAgent.Engine.Http1;

public sealed partial class ResponseReader
{
    /// <summary>Timestamp of the read that completed the last head: the "last byte" of a response without a body.</summary>
    private long _headCompleteTimestamp;

    /// <summary>Reads the status line and header section, skipping 1xx interim responses (RFC 9110 §15.2).</summary>
    public async ValueTask<ResponseHead> ReadHeadAsync(CancellationToken cancellationToken)
    {
        if (!HasBufferedData)
            await ReadFirstByteAsync(cancellationToken).ConfigureAwait(false);
        var firstByteTimestamp = _lastFillTimestamp;

        var parser = _headParser;
        parser.Reset();
        while (true)
        {
            var complete = parser.TryParse(Unread, out var consumed);
            _start += consumed;
            if (!complete)
            {
                await FillHeadAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            // RFC 9110 §15.2: 1xx are interim, the final response follows. 101 ends HTTP/1.1 on this
            // connection, so it is handed back as final.
            if (parser.StatusCode is >= 100 and < 200 and not 101)
            {
                parser.Reset();
                continue;
            }

            _headCompleteTimestamp = _lastFillTimestamp;
            return new ResponseHead
            {
                Major = parser.Major,
                Minor = parser.Minor,
                StatusCode = parser.StatusCode,
                ReasonPhrase = parser.ReasonPhrase,
                Headers = parser.Fields,
                HeaderBytes = parser.Bytes,
                FirstByteTimestamp = firstByteTimestamp,
            };
        }
    }

    /// <summary>
    /// The first read of a response. EOF or a reset here is the one failure after which a request may be
    /// retried on a new connection (RFC 9112 §9.3.1), so it gets its own rejection.
    /// </summary>
    private async ValueTask ReadFirstByteAsync(CancellationToken cancellationToken)
    {
        int read;
        try
        {
            read = await FillAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            throw new HttpProtocolException(ResponseRejection.ClosedBeforeResponse, "connection reset before any response byte", ex);
        }

        if (read == 0)
            throw new HttpProtocolException(ResponseRejection.ClosedBeforeResponse, "connection closed before any response byte");
    }

    private async ValueTask FillHeadAsync(CancellationToken cancellationToken)
    {
        int read;
        try
        {
            read = await FillAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            throw new HttpProtocolException(ResponseRejection.Truncated, "truncated: response head incomplete", ex);
        }

        if (read == 0)
            throw new HttpProtocolException(ResponseRejection.Truncated, "truncated: response head incomplete");
    }
}
