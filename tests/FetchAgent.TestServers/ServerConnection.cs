using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FetchAgent.TestServers;

/// <summary>One accepted connection, driven by a test's script.</summary>
public sealed class ServerConnection : IDisposable
{
    private readonly ConcurrentQueue<ReceivedRequest> _log;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    internal ServerConnection(Socket socket, int index, ConcurrentQueue<ReceivedRequest> log, CancellationToken stopping)
    {
        Socket = socket;
        Index = index;
        _log = log;
        Stopping = stopping;
        Stream = new NetworkStream(socket, ownsSocket: false);
        RemotePort = ((IPEndPoint)socket.RemoteEndPoint!).Port;
    }

    public Socket Socket { get; }

    /// <summary>The stream the script reads and writes; a TLS script may replace it with an SslStream.</summary>
    public Stream Stream { get; set; }

    /// <summary>1 for the first connection the server accepted, 2 for the next…</summary>
    public int Index { get; }

    /// <summary>The client's port: the local port FetchAgent should report.</summary>
    public int RemotePort { get; }

    public CancellationToken Stopping { get; }

    /// <summary>Reads one request head; null when the client closed first. Request bodies are not expected.</summary>
    public async Task<ReceivedRequest?> ReadRequestAsync()
    {
        while (true)
        {
            var end = IndexOfHeadEnd();
            if (end >= 0)
            {
                var text = Encoding.Latin1.GetString(_buffer, _start, end - _start);
                _start = end + 4;
                var request = Parse(text);
                _log.Enqueue(request);
                return request;
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
                throw new InvalidOperationException("request head too large for the test server");
            var read = await Stream.ReadAsync(_buffer.AsMemory(_end), Stopping).ConfigureAwait(false);
            if (read == 0)
                return null;
            _end += read;
        }
    }

    /// <summary>True when the next request's bytes are already here: the client sent it before our last response (pipelining).</summary>
    public bool RequestWaiting => _end > _start || Socket.Available > 0;

    /// <summary>Reads until the client closes its sending side (a graceful half-close); true when EOF came.</summary>
    public async Task<bool> ReadToEndAsync(TimeSpan within)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Stopping);
        timeout.CancelAfter(within);
        try
        {
            while (await Stream.ReadAsync(_buffer, timeout.Token).ConfigureAwait(false) > 0)
            {
            }

            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    public Task WriteAsync(string text) => WriteAsync(Encoding.Latin1.GetBytes(text));

    public async Task WriteAsync(byte[] bytes)
    {
        await Stream.WriteAsync(bytes, Stopping).ConfigureAwait(false);
        await Stream.FlushAsync(Stopping).ConfigureAwait(false);
    }

    /// <summary>Writes the bytes one at a time, each in its own segment, to exercise a parser's resumption.</summary>
    public async Task WriteByteByByteAsync(byte[] bytes)
    {
        foreach (var b in bytes)
        {
            await Stream.WriteAsync(new[] { b }, Stopping).ConfigureAwait(false);
            await Stream.FlushAsync(Stopping).ConfigureAwait(false);
        }
    }

    /// <summary>Closes the sending side (FIN) but keeps reading possible.</summary>
    public void ShutdownSend() => Socket.Shutdown(SocketShutdown.Send);

    /// <summary>Aborts with a RST instead of a FIN.</summary>
    public void Reset()
    {
        Socket.LingerState = new LingerOption(true, 0);
        Socket.Close();
    }

    private int IndexOfHeadEnd()
    {
        var span = _buffer.AsSpan(_start, _end - _start);
        var at = span.IndexOf("\r\n\r\n"u8);
        return at < 0 ? -1 : _start + at;
    }

    private ReceivedRequest Parse(string head)
    {
        var lines = head.Split("\r\n");
        var parts = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0)
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        return new ReceivedRequest(Index, RemotePort, parts[0], parts.Length > 1 ? parts[1] : "", parts.Length > 2 ? parts[2] : "", headers, DateTimeOffset.UtcNow);
    }

    public void Dispose()
    {
        Stream.Dispose();
        Socket.Dispose();
    }
}
