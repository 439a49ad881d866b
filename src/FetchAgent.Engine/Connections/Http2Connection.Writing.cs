using System.Buffers;

namespace FetchAgent.Engine.Connections;

/// <summary>
/// The connection's send side: frames are laid out, in the order they are queued, behind those already waiting, and
/// whoever finds no write in progress writes everything queued so far in one write and one flush, then the next batch,
/// until nothing waits. HEADERS of requests made at the same moment so leave in one TLS record and one segment, as
/// SocketsHttpHandler's writer loop sends them, instead of one write, one record and one system call each.
/// </summary>
internal sealed partial class Http2Connection
{
    private readonly object _outSync = new();
    private ArrayBufferWriter<byte> _queued = new(4096);
    private ArrayBufferWriter<byte> _spareBuffer = new(4096);
    private List<TaskCompletionSource<long>> _queuedWaiters = [];
    private List<TaskCompletionSource<long>> _spareWaiters = [];
    private bool _writing;

    /// <summary>Writes (one write and one flush each) that carried frames so far: fewer than the frames when they were coalesced.</summary>
    public int Writes { get; private set; }

    /// <summary>
    /// Queues frames behind those already queued and returns when the write that carried them returned, with a clock
    /// reading taken after it did: the moment their bytes were in the socket's hands, never before.
    /// </summary>
    private Task<long> WriteAsync(Action<ArrayBufferWriter<byte>> frames)
    {
        var written = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool lead;
        lock (_outSync)
        {
            frames(_queued);
            _queuedWaiters.Add(written);
            lead = StartWriting();
        }

        if (lead)
            _ = DrainAsync();
        return written.Task;
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
            _ = DrainAsync();
    }

    /// <summary>Under <see cref="_outSync"/>: true when the caller is to write the queue (no write was in progress).</summary>
    private bool StartWriting()
    {
        if (_writing)
            return false;
        _writing = true;
        return true;
    }

    /// <summary>
    /// Writes what is queued, a batch at a time, until nothing is. Runs in the caller that found no write in progress
    /// (at once, while the socket takes the bytes without waiting); never throws: a failed write fails its batch's waiters.
    /// </summary>
    private async Task DrainAsync()
    {
        while (true)
        {
            ArrayBufferWriter<byte> batch;
            List<TaskCompletionSource<long>> waiters;
            lock (_outSync)
            {
                if (_queued.WrittenCount == 0)
                {
                    _writing = false;
                    return;
                }

                (batch, _queued) = (_queued, _spareBuffer);
                (waiters, _queuedWaiters) = (_queuedWaiters, _spareWaiters);
            }

            Exception? failed = null;
            long at = 0;
            try
            {
                Writes++;
                await Transport.Stream.WriteAsync(batch.WrittenMemory).ConfigureAwait(false);
                await Transport.Stream.FlushAsync().ConfigureAwait(false);
                // One reading after the write returned stamps every frame of the batch: each one's bytes were handed
                // to the socket by then, and none of the batch's own bookkeeping sits before it.
                at = Clock.Now();
            }
            catch (Exception e)
            {
                failed = e;
            }

            foreach (var waiter in waiters)
            {
                if (failed is null)
                    waiter.TrySetResult(at);
                else
                    waiter.TrySetException(failed);
            }

            batch.ResetWrittenCount();
            waiters.Clear();
            lock (_outSync)
            {
                _spareBuffer = batch;
                _spareWaiters = waiters;
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
