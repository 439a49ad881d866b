using FetchAgent.Engine.Model;
using System.Threading.Channels;

namespace FetchAgent.Engine.Emulation;

/// <summary>
/// A connection's bytes as they would cross the emulated network (issue 13 item 1), beneath TLS and HTTP so that every
/// handshake and exchange pays for it. What the server sends is read from the real socket as it comes (on loopback,
/// at once) and handed to the reader only when the emulated network would have delivered it:
/// <list type="bullet">
/// <item>one round trip after it really arrived (the emulation puts the whole RTT on the way in: a request's first
/// response byte comes one RTT after the request, and each TLS flight of the server one RTT after the client's);</item>
/// <item>no more than the connection's congestion window per round trip: 10 segments of 1460 bytes when new, growing by
/// what each round delivered (RFC 5681 §3.1 slow start: doubling per full round) up to the bandwidth-delay product,
/// kept while the connection lives (a warm connection does not start again);</item>
/// <item>at the download bandwidth, shared with the load's other connections (<see cref="EmulatedLink"/>).</item>
/// </list>
/// What FetchAgent writes crosses the uplink at its bandwidth before it is written to the socket.
/// </summary>
public sealed class EmulatedStream : Stream
{
    private readonly Stream _inner;
    private readonly EmulatedLink _link;
    private readonly TimeProvider _time;
    private readonly long _rtt;
    private readonly Channel<Chunk> _chunks = Channel.CreateUnbounded<Chunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;
    private Chunk? _current;
    private int _offset;

    // ---- the sender's state, touched by the pump alone ----
    private double _cwnd = EmulatedNetwork.InitialWindowBytes;
    private long? _roundStart;
    private double _roundSent;
    private long _lastDelivery;

    public EmulatedStream(Stream inner, EmulatedLink link)
    {
        _inner = inner;
        _link = link;
        _time = link.Time;
        _rtt = link.Ticks(link.Conditions.RttMs);
        _pump = Task.Run(PumpAsync);
    }

    private sealed record Chunk(byte[] Data, int Length, long DeliverAt, Exception? Error = null);

    /// <summary>The bytes the network could carry in one round trip once slow start is over; unbounded without a bandwidth limit.</summary>
    private double BandwidthDelayProduct =>
        EmulatedNetwork.BandwidthDelayProduct(_link.Conditions.DownKbps, _link.Conditions.RttMs);

    private async Task PumpAsync()
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await _inner.ReadAsync(buffer, _stop.Token).ConfigureAwait(false);
                var arrived = _time.GetTimestamp();
                if (read == 0)
                {
                    // The server's FIN crosses the network too.
                    _chunks.Writer.TryWrite(new Chunk([], 0, Math.Max(arrived + _rtt, _lastDelivery)));
                    return;
                }

                await ScheduleAsync(buffer, read, arrived + _rtt).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (!_stop.IsCancellationRequested)
        {
            _chunks.Writer.TryWrite(new Chunk([], 0, Math.Max(_time.GetTimestamp(), _lastDelivery), e));
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _chunks.Writer.TryComplete();
        }
    }

    /// <summary>Cuts what arrived into pieces the congestion window allows per round, each paced over the shared downlink.</summary>
    private async ValueTask ScheduleAsync(byte[] buffer, int length, long readyAt)
    {
        var offset = 0;
        while (offset < length)
        {
            // A flight after the connection went idle starts a round of its own: were it counted in the round the last
            // response began, the next round would come one RTT after that one, not after this flight, and a round of
            // slow start would be skipped. Idle: ready half an RTT or more after the last delivery. The next response
            // after a request comes a whole RTT after it (the request has to cross), the rest of one response at once.
            var idle = _roundStart is not null && readyAt >= _lastDelivery + _rtt / 2;
            if (_roundStart is not { } roundStart || readyAt >= roundStart + _rtt || idle)
            {
                // A new round trip of the ACK clock: the window grows by what the last round delivered.
                if (_roundStart is not null)
                    _cwnd = Math.Min(_cwnd + _roundSent, Math.Max(BandwidthDelayProduct, _cwnd));
                _roundStart = _roundStart is { } last && !idle ? Math.Max(last + _rtt, readyAt) : readyAt;
                _roundSent = 0;
            }

            var allowance = _cwnd - _roundSent;
            if (allowance < 1)
            {
                // The window is spent: the rest waits for the next round's ACKs.
                readyAt = _roundStart!.Value + Math.Max(_rtt, 1);
                continue;
            }

            var piece = (int)Math.Min(Math.Min(allowance, length - offset), _link.PieceBytes);
            var start = Math.Max(readyAt, _roundStart!.Value);
            var deliverAt = Math.Max(await _link.DownAsync(this, piece, start, _stop.Token).ConfigureAwait(false), _lastDelivery);
            _chunks.Writer.TryWrite(new Chunk(buffer.AsSpan(offset, piece).ToArray(), piece, deliverAt));
            _lastDelivery = deliverAt;
            _roundSent += piece;
            offset += piece;
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_current is null)
        {
            if (!await _chunks.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false) || !_chunks.Reader.TryRead(out var next))
                return 0;
            _current = next;
            _offset = 0;
        }

        var chunk = _current;
        var wait = _time.GetElapsedTime(_time.GetTimestamp(), chunk.DeliverAt);
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        if (chunk.Error is { } error)
            throw new IOException(error.Message, error);
        if (chunk.Length == 0)
            return 0; // the end stays the end for every later read
        var count = Math.Min(buffer.Length, chunk.Length - _offset);
        chunk.Data.AsMemory(_offset, count).CopyTo(buffer);
        _offset += count;
        if (_offset == chunk.Length)
            _current = null;
        return count;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_link.Conditions.UpKbps > 0 && buffer.Length > 0)
        {
            var sent = _link.Up(buffer.Length, _time.GetTimestamp());
            var wait = _time.GetElapsedTime(_time.GetTimestamp(), sent);
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }

        await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override void Flush() => _inner.Flush();

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    private int _disposed;

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            // The pump ends with the stream (its read is cancelled); what it met is the reader's business, and the reader is gone.
            _stop.Cancel();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
