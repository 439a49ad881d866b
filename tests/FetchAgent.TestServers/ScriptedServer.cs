using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace FetchAgent.TestServers;

/// <summary>
/// A real TCP server on a loopback address whose every connection runs a script the test writes:
/// read a request, write bytes (whole, split, slow), close. It records each connection's
/// peer port and each request, so a test sees what the client really did on the wire.
/// </summary>
public sealed class ScriptedServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<ServerConnection, Task> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Task> _running = [];
    private readonly Task _acceptLoop;
    private int _connectionCount;
    private int _openConnections;
    private int _maxOpenConnections;
    private int _disposed;

    public ScriptedServer(Func<ServerConnection, Task> script, IPAddress? address = null)
    {
        _script = script;
        _listener = new TcpListener(address ?? IPAddress.Loopback, 0);
        _listener.Start(backlog: 512);
        _acceptLoop = AcceptLoopAsync();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;
    public int Port => EndPoint.Port;

    /// <summary>http://127.0.0.1:port — the origin, with no trailing slash.</summary>
    public string Origin => $"http://{EndPoint.Address}:{Port}";

    public Uri Url(string path) => new(Origin + path);

    /// <summary>Every request head received, in arrival order.</summary>
    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    /// <summary>The most connections that were open at the same moment.</summary>
    public int MaxConcurrentConnections => Volatile.Read(ref _maxOpenConnections);

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            var index = Interlocked.Increment(ref _connectionCount);
            var open = Interlocked.Increment(ref _openConnections);
            UpdateMax(open);
            _running.Add(Task.Run(() => RunAsync(socket, index)));
        }
    }

    private void UpdateMax(int open)
    {
        int seen;
        while (open > (seen = Volatile.Read(ref _maxOpenConnections)))
        {
            if (Interlocked.CompareExchange(ref _maxOpenConnections, open, seen) == seen)
                return;
        }
    }

    private async Task RunAsync(Socket socket, int index)
    {
        var connection = new ServerConnection(socket, index, Requests, _stop.Token);
        try
        {
            await _script(connection).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A script ends however the client leaves it: reset, EOF, cancellation.
        }
        finally
        {
            Interlocked.Decrement(ref _openConnections);
            connection.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (Exception)
        {
        }

        await Task.WhenAll(_running.ToArray()).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }).ConfigureAwait(false);
        _stop.Dispose();
    }
}

/// <summary>A request head as the server received it.</summary>
public sealed record ReceivedRequest(int ConnectionIndex, int RemotePort, string Method, string Target, string Version, IReadOnlyDictionary<string, string> Headers, DateTimeOffset ReceivedAt)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
