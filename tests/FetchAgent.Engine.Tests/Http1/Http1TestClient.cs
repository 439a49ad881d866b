using System.Net.Sockets;
using System.Text;
using FetchAgent.Engine.Http1;
using FetchAgent.Engine.Navigation;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Http1;

/// <summary>A real client socket to a <see cref="ScriptedServer"/>, with a <see cref="ResponseReader"/> on its stream.</summary>
internal sealed class Http1TestClient : IAsyncDisposable
{
    public static readonly BodyReadOptions Keep = new(1024 * 1024, KeepContent: true);

    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(20));
    private readonly Uri _origin;

    private Http1TestClient(Socket socket, NetworkStream stream, ResponseReader reader, Uri origin)
    {
        Socket = socket;
        Stream = stream;
        Reader = reader;
        _origin = origin;
    }

    public Socket Socket { get; }
    public NetworkStream Stream { get; }
    public ResponseReader Reader { get; }

    /// <summary>Fails a hung test instead of blocking the run.</summary>
    public CancellationToken Token => _timeout.Token;

    public static async Task<Http1TestClient> ConnectAsync(ScriptedServer server, TimeProvider? timeProvider = null, int maxHeaderBytes = ResponseReader.DefaultMaxHeaderBytes)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server.EndPoint);
        var stream = new NetworkStream(socket, ownsSocket: true);
        return new Http1TestClient(socket, stream, new ResponseReader(stream, timeProvider ?? TimeProvider.System, maxHeaderBytes), new Uri(server.Origin));
    }

    public async Task SendAsync(string method = "GET", string path = "/")
    {
        var url = new Uri(_origin, path);
        await Stream.WriteAsync(RequestWriter.Format(method, url, RequestWriter.Headers(url, "*/*", closeConnection: false)), Token);
    }

    /// <summary>Sends a request and reads the whole response.</summary>
    public async Task<(ResponseHead Head, ResponseBody Body)> ExchangeAsync(string method = "GET", BodyReadOptions? options = null)
    {
        await SendAsync(method);
        return await ReadResponseAsync(method, options);
    }

    public async Task<(ResponseHead Head, ResponseBody Body)> ReadResponseAsync(string method = "GET", BodyReadOptions? options = null)
    {
        var head = await Reader.ReadHeadAsync(Token);
        var body = await Reader.ReadBodyAsync(head, method, options ?? Keep, Token);
        return (head, body);
    }

    public ValueTask DisposeAsync()
    {
        Stream.Dispose();
        _timeout.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Server scripts used by the Http1 tests.</summary>
internal static class Respond
{
    public static Task WriteAsync(ServerConnection connection, string text, bool byteByByte) =>
        byteByByte ? connection.WriteByteByByteAsync(Encoding.Latin1.GetBytes(text)) : connection.WriteAsync(text);

    /// <summary>Per connection: read one request, write the response (whole or byte by byte), FIN, then wait for the client to leave.</summary>
    public static ScriptedServer With(string response, bool byteByByte = false) =>
        new(async connection =>
        {
            await connection.ReadRequestAsync();
            await WriteAsync(connection, response, byteByByte);
            connection.ShutdownSend();
            await connection.ReadToEndAsync(TimeSpan.FromSeconds(20));
        });

    public static string Text(ResponseBody body) => Encoding.Latin1.GetString(body.Content.Span);
}

/// <summary>A clock that ticks once per reading, so "which read brought this byte" is visible in timestamps.</summary>
internal sealed class SteppingTimeProvider : TimeProvider
{
    private long _now;

    public override long GetTimestamp() => Interlocked.Increment(ref _now);
}
