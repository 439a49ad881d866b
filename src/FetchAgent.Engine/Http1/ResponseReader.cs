using System.Net.Sockets;

namespace FetchAgent.Engine.Http1;

/// <summary>
/// Reads responses, one after another, from one connection's stream (RFC 9112).
/// Keeps bytes that arrived past one response for the next (persistence, pipelining).
/// </summary>
/// <remarks>
/// One buffer per connection, [_start, _end) unread. The head parser and the chunked parser consume only whole
/// lines or whole byte runs from it, so any split of the input across reads resumes where it stopped.
/// Split by concern: head in ResponseReader.Head.cs, bodies in ResponseReader.Body.cs and ResponseReader.Chunked.cs.
/// </remarks>
public sealed partial class ResponseReader
{
    public const int DefaultMaxHeaderBytes = 64 * 1024;

    private const int InitialBufferSize = 16 * 1024;

    private readonly Stream _stream;
    private readonly TimeProvider _timeProvider;
    private readonly int _maxHeaderBytes;
    private readonly HeaderSectionParser _headParser;
    private byte[] _buffer = new byte[InitialBufferSize];
    private int _start;
    private int _end;

    /// <summary>Timestamp of the last read that returned bytes: leftover bytes always came with it.</summary>
    private long _lastFillTimestamp;

    public ResponseReader(Stream stream, TimeProvider timeProvider, int maxHeaderBytes = DefaultMaxHeaderBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxHeaderBytes, 16);
        _stream = stream;
        _timeProvider = timeProvider;
        _maxHeaderBytes = maxHeaderBytes;
        _headParser = new HeaderSectionParser(maxHeaderBytes, startsWithStatusLine: true);
    }

    /// <summary>True when bytes past the last response are buffered (an idle connection should have none).</summary>
    public bool HasBufferedData => _end > _start;

    private int Buffered => _end - _start;

    private ReadOnlySpan<byte> Unread => _buffer.AsSpan(_start, _end - _start);

    /// <summary>A read posted while the connection is idle; the next fill takes its bytes.</summary>
    private Task<int>? _readAhead;

    /// <summary>
    /// Posts one read on an idle connection, into the buffer's free end, as SocketsHttpHandler does before reuse: it
    /// completes on EOF, a reset or bytes nobody asked for, and otherwise becomes the first read of the next response.
    /// On TLS it lets the TLS layer consume post-handshake records (session tickets) that are not HTTP bytes.
    /// </summary>
    public void StartReadAhead()
    {
        if (_readAhead is not null || HasBufferedData)
            return;
        MakeRoom();
        try
        {
            _readAhead = _stream.ReadAsync(_buffer.AsMemory(_end)).AsTask();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or NotSupportedException or InvalidOperationException)
        {
            _readAhead = Task.FromException<int>(e);
        }

        // Closing the connection under a pending read faults it; that is expected, never an unobserved error.
        _readAhead.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>null while no read-ahead completed; else its byte count (0 for EOF or a failure).</summary>
    public int? ReadAheadOutcome() =>
        _readAhead is { IsCompleted: true } done ? (done.IsCompletedSuccessfully ? done.Result : 0) : null;

    /// <summary>The posted read-ahead, if any, for a close that drains the connection.</summary>
    internal Task<int>? PendingReadAhead => _readAhead;

    /// <summary>One read from the stream into the free end of the buffer (or the read-ahead's bytes); 0 at EOF.</summary>
    private async ValueTask<int> FillAsync(CancellationToken cancellationToken)
    {
        int read;
        if (_readAhead is { } pending)
        {
            _readAhead = null;
            read = await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            MakeRoom();
            read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        }

        if (read > 0)
        {
            _end += read;
            _lastFillTimestamp = _timeProvider.GetTimestamp();
        }

        return read;
    }

    /// <summary>Makes the buffer's tail free: rewind when empty, compact when the tail is full, grow when a line fills it all.</summary>
    private void MakeRoom()
    {
        if (_start == _end)
        {
            _start = _end = 0;
            return;
        }

        if (_end < _buffer.Length)
            return;

        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
            return;
        }

        // Only an unfinished line grows the buffer; the parsers cap lines (header section, chunk line) first.
        Array.Resize(ref _buffer, _buffer.Length * 2);
    }

    private static bool IsConnectionFailure(Exception exception) =>
        exception is SocketException || (exception is IOException && exception is not HttpProtocolException);
}
