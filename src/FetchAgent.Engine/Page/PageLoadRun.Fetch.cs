using FetchAgent.Engine.Connections;
using FetchAgent.Engine.Http1;
using FetchAgent.Engine.Timeline;

namespace FetchAgent.Engine.Page;

internal sealed partial class PageLoadRun
{
    /// <summary>Fetches one URL and follows its redirects; every hop is an object of its own.</summary>
    private async Task<FetchedObject?> FetchChainAsync(Uri url, ResourceKind kind, Initiator initiator, int? parentId, bool renderBlocking, bool parserBlocking)
    {
        var record = NewObject(url, kind, initiator, parentId, renderBlocking, parserBlocking);
        if (record is null)
            return null;
        var issued = _clock.Now();
        for (var hop = 0; ; hop++)
        {
            var request = new ExchangeRequest(url, AcceptHeader.For(kind), AcceptHeader.KeepsContent(kind));
            TransactionResult result;
            try
            {
                result = await _runner.RunAsync(request, issued, _cancellation).ConfigureAwait(false);
            }
            catch (Exception e) when (!_cancellation.IsCancellationRequested)
            {
                // A bug of ours fails this object, never the page load.
                record.Error = $"internal error: {e.GetType().Name}: {e.Message}";
                record.EndMs = _clock.Ms(_clock.Now());
                Finished(record);
                return new FetchedObject(record, ReadOnlyMemory<byte>.Empty);
            }

            ObjectRecorder.Fill(record, result, _clock);
            var content = Decode(record, result);

            if (result.Error is null && result.Head is { } head && Redirects.IsRedirect(head.StatusCode))
            {
                var target = Redirects.Target(head, url, out var error);
                if (target is not null && hop >= Redirects.MaxHops)
                    error = $"redirect: more than {Redirects.MaxHops} redirects";
                if (error is not null)
                {
                    record.Error = error;
                    Finished(record);
                    return new FetchedObject(record, content);
                }

                record.RedirectUrl = target!.AbsoluteUri;
                Finished(record);
                var next = NewObject(target, kind, Initiator.Redirect, record.Id, renderBlocking, parserBlocking);
                if (next is null)
                    return new FetchedObject(record, content);
                record = next;
                url = target;
                issued = _clock.Now();
                continue;
            }

            Finished(record);
            return new FetchedObject(record, content);
        }
    }

    /// <summary>Undoes Content-Encoding of a kept body (HTML, CSS) so it can be read for references.</summary>
    private ReadOnlyMemory<byte> Decode(ObjectRecord record, TransactionResult result)
    {
        if (result.Error is not null || result.Body is not { Content.IsEmpty: false } body)
            return ReadOnlyMemory<byte>.Empty;
        try
        {
            return ContentDecoder.Decode(body.Content, result.Head?.Get("Content-Encoding"), _options.MaxBodyBytes);
        }
        catch (InvalidDataException e)
        {
            record.Error = e.Message;
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
