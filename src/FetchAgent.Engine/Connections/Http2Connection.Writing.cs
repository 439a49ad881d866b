using System.Buffers;

namespace FetchAgent.Engine.Connections;

/// <summary>
/// The connection's send side: frames are laid out, in the order they are queued, behind those already waiting, and
/// whoever finds no write in progress starts the writer, which writes everything queued by the time it runs in one
/// write and one flush, then the next batch, until nothing waits. HEADERS of requests made at the same moment so
/// leave in one TLS record and one segment, as SocketsHttpHandler's writer loop sends them, instead of one write, one
/// record and one system call each.
/// </summary>
internal sealed partial class Http2Connection
{
    private readonly object _outSync = new();
    private ArrayBufferWriter<byte> _queued = new(4096);
    private ArrayBufferWriter<byte> _spareBuffer = new(4096);

    /// <summary>The queued batch's completion: one for the whole batch, made when the first frame that is waited for joins it.</summary>
    private TaskCompletionSource<long>? _queuedWritten;

    /// <summary>The streams whose HEADERS are in the queued batch: a failed write fails them (nothing else would).</summary>
    private List<Http2Stream> _queuedStreams = [];
    private List<Http2Stream> _spareStreams = [];
    private bool _writing;

    /// <summary>
    /// Queues frames behind those already queued and returns when the write that carried them returned, with a clock
    /// reading taken after it did: the moment their bytes were in the socket's hands, never before.
    /// </summary>
    private Task<long> WriteAsync(Action<ArrayBufferWriter<byte>> frames)
    {
        Task<long> written;
        bool lead;
        lock (_outSync)
        {
            frames(_queued);
            written = QueuedBatchWritten();
            lead = StartWriting();
        }

        if (lead)
            ScheduleDrain();
        return written;
    }

    /// <summary>
    /// Queues frames nobody waits for (acknowledgements, WINDOW_UPDATE, RST_STREAM): the reader loop goes on reading
    /// while they are written. A failed write changes nothing here; the reader sees the connection end.
    /// </summary>
    private void Post(Action<ArrayBufferWriter<byte>> frames)
    {
        bool lead;
        lock (_outSync)
        {
            frames(_queued);
            lead = StartWriting();
        }

        if (lead)
            ScheduleDrain();
    }

    /// <summary>Under <see cref="_outSync"/>: the task of the batch being queued, which ends when its write returned.</summary>
    private Task<long> QueuedBatchWritten() =>
        (_queuedWritten ??= new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Under <see cref="_outSync"/>: true when the caller is to start the writer (none was running).</summary>
    private bool StartWriting()
    {
        if (_writing)
            return false;
        _writing = true;
        return true;
    }

    /// <summary>
    /// The writer runs as a work item of its own, not in the caller that found no write in progress: requests issued
    /// in one go (the preload scanner's or the parser's finds, issued in a loop) are queued while it starts, and leave
    /// in a few writes, as SocketsHttpHandler's writer loop sends them. Written inline, each would be its own write,
    /// since a write on a socket with room completes at once. The work item goes on the pool's global queue, not the
    /// caller's own, so an idle thread takes it at once: the write never waits for the rest of the caller's work
    /// (a parse, say), which would then sit in the streams' <c>send</c>.
    /// </summary>
    private void ScheduleDrain() =>
        ThreadPool.UnsafeQueueUserWorkItem(static connection => _ = connection.DrainAsync(), this, preferLocal: false);

    /// <summary>Writes what is queued, a batch at a time, until nothing is; never throws: a failed write fails its batch's waiters.</summary>
    private async Task DrainAsync()
    {
        while (true)
        {
            ArrayBufferWriter<byte> batch;
            TaskCompletionSource<long>? written;
            List<Http2Stream> streams;
            lock (_outSync)
            {
                if (_queued.WrittenCount == 0)
                {
                    _writing = false;
                    return;
                }

                (batch, _queued) = (_queued, _spareBuffer);
                (streams, _queuedStreams) = (_queuedStreams, _spareStreams);
                (written, _queuedWritten) = (_queuedWritten, null);
            }

            try
            {
                await Transport.Stream.WriteAsync(batch.WrittenMemory).ConfigureAwait(false);
                await Transport.Stream.FlushAsync().ConfigureAwait(false);
                // One reading after the write returned stamps every frame of the batch: each one's bytes were handed
                // to the socket by then, and none of the batch's own bookkeeping sits before it.
                written?.TrySetResult(Clock.Now());
            }
            catch (Exception e)
            {
                written?.TrySetException(e);
                // Streams read the batch's task only once it succeeded; its failure reaches them below, not through it.
                _ = written?.Task.Exception;
                // The connection broke (or was closed) under the write: no byte of a response can come on these streams.
                foreach (var stream in streams)
                {
                    if (_streams.TryRemove(stream.Id, out _))
                        stream.Fail(Unanswered(_failure?.Message ?? e.Message));
                }
            }

            batch.ResetWrittenCount();
            streams.Clear();
            lock (_outSync)
            {
                _spareBuffer = batch;
                _spareStreams = streams;
            }
        }
    }

    /// <summary>A write whose failure changes nothing: the connection is already ending, or the reader will see why.</summary>
    private async Task TryWriteAsync(Action<ArrayBufferWriter<byte>> frames)
    {
        try
        {
            await WriteAsync(frames).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException or InvalidOperationException or NotSupportedException)
        {
        }
    }
}
