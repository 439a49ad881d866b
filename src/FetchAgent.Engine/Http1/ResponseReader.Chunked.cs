using static FetchAgent.Engine.Http1.HttpBytes;

namespace FetchAgent.Engine.Http1;

public sealed partial class ResponseReader
{
    /// <summary>A chunk-size line with extensions longer than this is refused rather than buffered without end.</summary>
    private const int MaxChunkLineBytes = 8 * 1024;

    private ChunkedState _chunkedState;
    private long _chunkRemaining;
    private HeaderSectionParser? _trailerParser;

    private enum ChunkedState
    {
        SizeLine,
        Data,
        DataEnd,
        Trailers,
    }

    // RFC 9112 §7.1: chunked-body = *chunk last-chunk trailer-section CRLF.
    private async ValueTask<IReadOnlyList<HeaderField>> ReadChunkedBodyAsync(CancellationToken cancellationToken)
    {
        _chunkedState = ChunkedState.SizeLine;
        _chunkRemaining = 0;
        while (!ParseChunked())
        {
            int read;
            try
            {
                read = await FillAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsConnectionFailure(ex))
            {
                throw TruncatedChunked(ex);
            }

            if (read == 0)
                throw TruncatedChunked(null);
        }

        var trailers = _trailerParser!.Fields;
        return trailers.Count == 0 ? [] : trailers;
    }

    /// <summary>Consumes what the buffer holds of the chunked body; true when the whole body, trailers included, is read.</summary>
    private bool ParseChunked()
    {
        while (true)
        {
            var unread = Unread;
            switch (_chunkedState)
            {
                case ChunkedState.SizeLine:
                {
                    var lf = unread.IndexOf(LF);
                    if (lf < 0)
                    {
                        if (unread.Length > MaxChunkLineBytes)
                            throw Fail(ResponseRejection.InvalidChunkSize, "invalid chunk size");
                        return false;
                    }

                    var size = ParseChunkSizeLine(unread[..lf]);
                    _start += lf + 1;
                    if (size == 0)
                    {
                        // last-chunk: a trailer section follows, ended by an empty line (§7.1.2).
                        _trailerParser ??= new HeaderSectionParser(_maxHeaderBytes, startsWithStatusLine: false);
                        _trailerParser.Reset();
                        _chunkedState = ChunkedState.Trailers;
                    }
                    else
                    {
                        // Refuse at the announcement, before buffering a chunk that cannot fit.
                        if (size > _bodyOptions.MaxBodyBytes - _bodyBytes)
                            throw BodyTooLarge();
                        _chunkRemaining = size;
                        _chunkedState = ChunkedState.Data;
                    }

                    break;
                }

                case ChunkedState.Data:
                {
                    if (unread.IsEmpty)
                        return false;
                    var take = (int)Math.Min(unread.Length, _chunkRemaining);
                    AcceptBody(unread[..take]);
                    _start += take;
                    _chunkRemaining -= take;
                    if (_chunkRemaining == 0)
                        _chunkedState = ChunkedState.DataEnd;
                    break;
                }

                case ChunkedState.DataEnd:
                {
                    // chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF; a bare LF is accepted as §2.2 allows.
                    if (unread.IsEmpty)
                        return false;
                    if (unread[0] == LF)
                    {
                        _start += 1;
                    }
                    else
                    {
                        if (unread[0] != CR)
                            throw MissingCrlf();
                        if (unread.Length < 2)
                            return false;
                        if (unread[1] != LF)
                            throw MissingCrlf();
                        _start += 2;
                    }

                    _chunkedState = ChunkedState.SizeLine;
                    break;
                }

                default:
                {
                    bool done;
                    int consumed;
                    try
                    {
                        done = _trailerParser!.TryParse(unread, out consumed);
                    }
                    catch (HttpProtocolException ex)
                    {
                        throw Fail(ex.Reason, ex.Message);
                    }

                    _start += consumed;
                    return done;
                }
            }
        }
    }

    // chunk-size = 1*HEXDIG; chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] ) (§7.1.1), ignored here.
    private long ParseChunkSizeLine(ReadOnlySpan<byte> line)
    {
        if (!line.IsEmpty && line[^1] == CR)
            line = line[..^1];

        var digits = CountLeadingHexDigits(line);
        if (digits == 0)
            throw Fail(ResponseRejection.InvalidChunkSize, "invalid chunk size");

        long size = 0;
        foreach (var b in line[..digits])
        {
            if (size > long.MaxValue >> 4)
                throw Fail(ResponseRejection.ChunkSizeOverflow, "chunk size overflow");
            size = (size << 4) | (uint)HexValue(b);
        }

        var rest = line[digits..].TrimStart(Ows);
        if ((!rest.IsEmpty && rest[0] != Semicolon) || !IsValidFieldValue(rest))
            throw Fail(ResponseRejection.InvalidChunkSize, "invalid chunk size");
        return size;
    }

    private HttpProtocolException MissingCrlf() =>
        Fail(ResponseRejection.InvalidChunkData, "invalid chunk data: missing CRLF");

    private HttpProtocolException TruncatedChunked(Exception? inner) =>
        Fail(ResponseRejection.Truncated, $"truncated: chunked body ended after {_bodyBytes} bytes", inner);
}
