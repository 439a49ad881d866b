using System.Buffers;
using System.Threading.Channels;
using FetchAgent.Engine.Http1;
using FetchAgent.Engine.Timeline;

namespace FetchAgent.Engine.Page;

/// <summary>
/// One HTML response being discovered as it streams in, and the objects it has already issued. The body
/// observer only copies each run of bytes into a queue; scanning and issuing happen on a task of their own,
/// so FetchAgent's parsing never delays the next read of the document (its <c>receive</c> stays the wire's).
/// </summary>
internal sealed class StreamedDocument(StreamingHtmlDiscovery discovery, ObjectRecord record, int frameDepth)
{
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
        var copy = ArrayPool<byte>.Shared.Rent(body.Length);
        body.CopyTo(copy);
        _runs.Writer.TryWrite((head, copy, body.Length));
        if (_started)
            return;
        _started = true;
        _scanning = Task.Run(() => ScanAsync(scanned));
    }

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
                if (Discovery.Found.Count > 0)
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
