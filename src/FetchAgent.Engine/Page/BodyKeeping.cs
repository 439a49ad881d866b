using FetchAgent.Engine.Http1;
using FetchAgent.Engine.Model;


namespace FetchAgent.Engine.Page;

/// <summary>
/// Decides, once a response's head is read, how much of its body is kept for discovery: nothing for a body nobody
/// will read (a redirect with a Location; a frame's or stylesheet's non-2xx), else its length up to the parse cap,
/// if the page's budget still has room for it. One per request (redirect hop).
/// </summary>
internal sealed class BodyKeeping(PageBodyBudget budget, long maxParsedBytes, ResourceKind kind, StreamedDocument? streamed)
{
    private long _reserved;

    /// <summary>True when the page's budget had no room for this body: it was not kept, and not read.</summary>
    public bool Refused { get; private set; }

    /// <summary>The <see cref="Connections.ExchangeRequest.KeepLimit"/>.</summary>
    public long Limit(ResponseHead head)
    {
        if (head.IsRedirect && head.Get("Location") is not null)
            return 0;
        if (kind != ResourceKind.Document && head.StatusCode is < 200 or >= 300)
            return 0;

        long wanted;
        try
        {
            var length = BodyLength.Determine(head, "GET");
            wanted = length.Framing switch
            {
                BodyFraming.None => 0,
                BodyFraming.ContentLength => Math.Min(length.ContentLength, maxParsedBytes),
                _ => maxParsedBytes,
            };
        }
        catch (HttpProtocolException)
        {
            return 0; // the reader refuses this framing itself, with its own message
        }

        if (wanted == 0)
            return 0;
        if (!budget.TryReserve(wanted))
        {
            Refused = true;
            streamed?.StopQueueing(); // nothing of a body that is not kept is read for references, as it streams either
            return 0;
        }

        _reserved = wanted;
        return wanted;
    }

    /// <summary>The body is read (or failed): what was reserved and not kept goes back to the page's budget.</summary>
    public void Settle(long kept)
    {
        budget.Return(_reserved - kept);
        _reserved = 0;
    }
}
