using FetchAgent.Engine.Cache;
using FetchAgent.Engine.Connections;
using FetchAgent.Engine.Http1;
using FetchAgent.Engine.Model;


namespace FetchAgent.Engine.Page;

internal sealed partial class PageLoadRun
{
    /// <summary>
    /// Fetches the object of <paramref name="record"/> and follows its redirects; every hop is an object of its own.
    /// Every hop but the last is finished here; the caller finishes the last once it has read it for references.
    /// </summary>
    /// <param name="htmlFrameDepth">For a document or frame: the depth its own references are at (0 for the page).</param>
    /// <param name="ticket">The request's place in the page's scheduler (tight mode); null when nothing holds it.</param>
    private async Task<FetchedObject> FetchChainAsync(ObjectRecord record, Uri url, int htmlFrameDepth, ResourceLoadScheduler.Ticket? ticket = null)
    {
        var issued = _clock.Now();
        var authRetried = false;
        for (var hop = 0; ; hop++)
        {
            if (record.Kind == ResourceKind.Document)
                _documentUrl = url; // the page's origin is its last hop's
            // The URL's credentials go out only on the retry a challenge asked for, and after that, to the same origin.
            var authorized = _credentials is not null && (authRetried || _credentials.SendsPreemptively(url));
            // RFC 9111 §4: the cache first. A body from the cache arrives whole, so it is read by the full parse alone.
            var sent = CacheRequestFields(AcceptHeader.For(record.Kind), authorized ? _credentials!.Authorization : null);
            var before = _cache?.Peek(url); // HAR's cache.beforeRequest: the entry as it was, before a hit counts
            var lookup = _cache?.Lookup("GET", url, sent) ?? CacheLookup.Miss;
            var streamed = lookup.Decision == CacheDecision.Miss ? StreamFor(record, url, htmlFrameDepth) : null;
            var hopUrl = url;
            var keeping = AcceptHeader.KeepsContent(record.Kind) ? new BodyKeeping(_bodyBudget, _limits.MaxParsedBytes, record.Kind, streamed) : null;
            record.Priority = RequestPriority.Name(record);
            var request = new ExchangeRequest(url, AcceptHeader.For(record.Kind), keeping is not null)
            {
                SplitWrite = _options.SplitRequest,
                // A 401 that will be answered with credentials is not the page a browser shows: nothing in it is requested.
                BodyObserver = streamed is null ? null : (head, body) =>
                {
                    // Taken as soon as the head says so (as a browser fills its auth cache), before the scanner requests more.
                    if (authorized)
                        _credentials!.Answered(head);
                    if (authorized || _credentials?.Answers(hopUrl, head) != true)
                        streamed.Observe(head, body, Scanned);
                },
                ExtraHeaders = lookup.Conditions.Count == 0
                    ? (authorized ? _credentials!.Authorization : null)
                    : [.. (authorized ? _credentials!.Authorization : []), .. lookup.Conditions], // §4.3.1
                KeepLimit = keeping is null ? null : keeping.Limit,
                Priority = RequestPriority.For(record),
                QueuePriority = RequestPriority.QueueRank(record),
                Anonymous = SentWithoutCredentials(record, url),
                Admission = ticket is null ? null : ticket.EnterAsync,
            };
            TransactionResult result;
            var requestTime = _cache?.Time.GetUtcNow() ?? default;
            try
            {
                result = lookup.Decision == CacheDecision.Fresh
                    ? StoredAsResult(lookup.Stored!, issued, _clock.Now())
                    : await _runner.RunAsync(request, issued, _cancellation, _deadline).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
            {
                keeping?.Settle(0);
                _ = streamed?.EndOfBodyAsync(); // the load is cancelled: let the scanning task end, nobody waits for it
                throw;
            }
            catch (Exception e) when (!_cancellation.IsCancellationRequested)
            {
                keeping?.Settle(0);
                if (streamed is not null)
                    await streamed.EndOfBodyAsync().ConfigureAwait(false);
                // A bug of ours fails this object, never the page load.
                record.Error = $"internal error: {e.GetType().Name}: {e.Message}";
                record.ErrorKind = ErrorKind.Internal;
                record.EndMs = _clock.Ms(_clock.Now());
                return new FetchedObject(record, ReadOnlyMemory<byte>.Empty);
            }

            // Whatever the scanner still has queued is read (and issued) before the full parse looks at the body.
            if (streamed is not null)
                await streamed.EndOfBodyAsync().ConfigureAwait(false);
            ObjectRecorder.Fill(record, result, _clock);
            if (lookup.Decision == CacheDecision.Fresh)
            {
                MarkFromCache(record);
            }
            else if (lookup.Decision == CacheDecision.Revalidate && result.Error is null && result.Head?.StatusCode == 304
                && _cache!.Freshen(url, requestTime, result.Head.Headers) is { } freshened)
            {
                // §4.3.4: the 304 stays on the record as it crossed the wire; the stored body is what the page uses.
                record.Revalidated = true;
                record.ContentType = freshened.Get("Content-Type");
                result = StoredAsResult(freshened, issued, result.Timestamps.End, result);
            }
            else
            {
                StoreInCache(url, sent, requestTime, result);
            }
            if (_cache is not null)
                record.Cache = new ObjectCacheRecord(CacheEntry(before), CacheEntry(_cache.Peek(url)));
            keeping?.Settle(result.Body?.Content.Length ?? 0);
            var content = Decode(record, result, out var cut);
            record.DecodedBytes = DecodedBytes(record, result, content, cut);
            var fetched = new FetchedObject(record, content)
            {
                Url = url, LastByte = result.Timestamps.LastByte, Streamed = streamed, ParseCut = cut, NotKept = keeping?.Refused ?? false,
            };

            if (result.Error is null && result.Head is { } challenge && _credentials is not null)
            {
                if (authorized)
                {
                    _credentials.Answered(challenge);
                }
                else if (!authRetried && _credentials.Answers(url, challenge))
                {
                    // RFC 7617: the same request once more, with the URL's credentials; the 401 stays an object, like a redirect hop.
                    Finished(record);
                    ObjectRecord? retry;
                    lock (_flagsLock)
                        retry = NewObject(url, record.Kind, Initiator.Auth, record.Id, record.RenderBlocking, record.ParserBlocking);
                    if (retry is null)
                        return fetched with { Streamed = null };
                    retry.TakePriorityFlagsOf(record);
                    record = retry;
                    authRetried = true;
                    issued = _clock.Now();
                    continue;
                }
            }

            if (result.Error is null && result.Head is { } head && head.IsRedirect)
            {
                var target = Redirects.Target(head, url, out var error);
                if (target is null && error is null)
                    return fetched; // a 3xx without Location is final
                if (target is not null && hop >= Redirects.MaxHops)
                    error = $"redirect: more than {Redirects.MaxHops} redirects";
                if (error is not null)
                {
                    record.Error = Redaction.Text(error);
                    record.ErrorKind = ErrorKind.Redirect;
                    return fetched;
                }

                record.RedirectUrl = Redaction.AbsoluteUrl(target!);
                Finished(record);
                ObjectRecord? next;
                lock (_flagsLock)
                    next = NewObject(target!, record.Kind, Initiator.Redirect, record.Id, record.RenderBlocking, record.ParserBlocking);
                if (next is null)
                    return fetched with { Streamed = null };
                next.TakePriorityFlagsOf(record);
                record = next;
                url = target!;
                authRetried = false; // a challenge answered for the last URL says nothing about this one
                issued = _clock.Now();
                continue;
            }

            return fetched;
        }
    }

    /// <summary>
    /// Fetch §4.1 / CSS Fonts 4 §4.8.2: a font is requested in CORS mode with credentials "same-origin", so one from
    /// another origin than the page's goes without credentials, on connections of its own (unless the option says not).
    /// </summary>
    private bool SentWithoutCredentials(ObjectRecord record, Uri url) =>
        record.Kind == ResourceKind.Font && !_options.SharedFontConnections &&
        !(url.Scheme == _documentUrl.Scheme && url.IdnHost == _documentUrl.IdnHost && url.Port == _documentUrl.Port);

    /// <summary>The size of the body decoded: counted when discovery decoded all of it, else what the wire tells without decoding.</summary>
    private static long? DecodedBytes(ObjectRecord record, TransactionResult result, ReadOnlyMemory<byte> decoded, bool cut)
    {
        if (record.Error is not null || result.Body is not { } body)
            return null;
        if (!cut && !body.Content.IsEmpty && body.Content.Length == body.WireBytes)
            return decoded.Length;
        return ContentDecoder.KnownDecodedSize(result.Head?.Get("Content-Encoding"), body.WireBytes, body.LastFourBytes);
    }

    /// <summary>
    /// Undoes Content-Encoding of a kept body (HTML, CSS) so it can be read for references: at most the parse cap of
    /// decoded bytes (a compression bomb stops there); <paramref name="cut"/> when the body went on past them.
    /// </summary>
    private ReadOnlyMemory<byte> Decode(ObjectRecord record, TransactionResult result, out bool cut)
    {
        cut = false;
        if (result.Error is not null || result.Body is not { Content.IsEmpty: false } body)
            return ReadOnlyMemory<byte>.Empty;
        try
        {
            // Only the leading bytes were kept when the wire carried more: the coded data may end mid-stream there.
            var inputCut = body.WireBytes > body.Content.Length;
            return ContentDecoder.DecodePrefix(body.Content, result.Head?.Get("Content-Encoding"), _limits.MaxParsedBytes, inputCut, out cut);
        }
        catch (InvalidDataException e)
        {
            record.Error = e.Message;
            record.ErrorKind = ErrorKind.Decoding;
            return ReadOnlyMemory<byte>.Empty;
        }
    }

    private void Finished(ObjectRecord record)
    {
        try
        {
            _objectFinished?.Invoke(record);
        }
        catch (Exception)
        {
            // An observer's failure must not break the page load.
        }
    }
}
