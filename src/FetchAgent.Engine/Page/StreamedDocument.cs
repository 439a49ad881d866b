using System.Buffers;
using System.Threading.Channels;
using FetchAgent.Engine.Discovery.Html;
using FetchAgent.Engine.Http1;
using FetchAgent.Engine.Model;

namespace FetchAgent.Engine.Page;

/// <summary>
/// One HTML response being discovered as it streams in, and the objects it has already issued. The body
/// observer only copies each run of bytes into a queue; scanning and issuing happen on a task of their own,
/// so FetchAgent's parsing never delays the next read of the document (its <c>receive</c> stays the wire's).
/// </summary>
/// <remarks>
/// The queue holds at most <c>maxQueuedBytes</c> of the body (the parse cap), whatever the scanner's pace: the
/// scanner never reads more than that many decoded bytes, and a coded prefix decodes to at least about as many.
/// </remarks>
internal sealed class StreamedDocument(StreamingHtmlDiscovery discovery, ObjectRecord record, int frameDepth, long maxQueuedBytes)
{
    private long _queued;
    private volatile bool _stopped;

    private readonly Channel<(ResponseHead Head, byte[] Bytes, int Length)> _runs =
        Channel.CreateUnbounded<(ResponseHead, byte[], int)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private Task _scanning = Task.CompletedTask;
    private bool _started;

    public StreamingHtmlDiscovery Discovery { get; } = discovery;

    /// <summary>The object (redirect hop) whose body this is: the parent of what it finds.</summary>
    public ObjectRecord Record { get; } = record;

    /// <summary>0 for the page, 1 and 2 for frames (whose references block nothing of the page).</summary>
    public int FrameDepth { get; } = frameDepth;

    /// <summary>Objects this document issued, by URL key, so the full parse can correct their flags rather than request twice.</summary>
    public Dictionary<string, ObjectRecord> Issued { get; } = new(StringComparer.Ordinal);

    /// <summary>The body observer: a copy of the run into a pooled buffer, queued; the scanning task starts with the first run.</summary>
    public void Observe(ResponseHead head, ReadOnlySpan<byte> body, Action<StreamedDocument> scanned)
    {
        if (_stopped || Discovery.IsOff || _queued >= maxQueuedBytes)
            return;
        body = body[..(int)Math.Min(body.Length, maxQueuedBytes - _queued)];
        _queued += body.Length;
        var copy = ArrayPool<byte>.Shared.Rent(body.Length);
        body.CopyTo(copy);
        _runs.Writer.TryWrite((head, copy, body.Length));
        if (_started)
            return;
        _started = true;
        _scanning = Task.Run(() => ScanAsync(scanned));
    }

    /// <summary>Nothing more of this body is queued for the scanner (the page's budget did not keep it).</summary>
    public void StopQueueing() => _stopped = true;

    /// <summary>The body is over (whole, failed or cancelled): the scanning task ends once it has read what was queued.</summary>
    public Task EndOfBodyAsync()
    {
        _runs.Writer.TryComplete();
        return _scanning;
    }

    private async Task ScanAsync(Action<StreamedDocument> scanned)
    {
        await foreach (var (head, bytes, length) in _runs.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                Discovery.Observe(head, bytes.AsSpan(0, length));
                // The body's start is news even when no reference came with it (tight mode ends there).
                if (Discovery.Found.Count > 0 || Discovery.BodyStarted || Discovery.BodyWaitsFor.Count > 0)
                    scanned(this);
            }
            catch (Exception)
            {
                // Issuing is the page loader's (it fails objects, not the load); nothing here may end the scan loop.
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(bytes);
            }
        }
    }
}
