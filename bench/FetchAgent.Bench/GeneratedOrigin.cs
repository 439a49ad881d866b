using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FetchAgent.Bench;

/// <summary>
/// A raw HTTP/1.1 server on loopback for the memory bench: it generates the big bodies as it writes them (nothing
/// huge is built in memory or written to disk), keeps connections alive, and serves:
/// <c>/frames.html</c> (8 iframes) and <c>/frame/N.html</c> (50 MB of HTML each); <c>/bomb.html</c> (1 GiB of HTML
/// gzipped into about 1 MB, computed once); <c>/images.html</c> (2 images) and <c>/image/N.png</c> (10 MB each).
/// </summary>
internal sealed class GeneratedOrigin : IAsyncDisposable
{
    public const int Frames = 8;
    public const long FrameBytes = 50_000_000;
    public const long BombDecodedBytes = 1L << 30;
    public const int ImagesPerPage = 2;
    public const long ImageBytes = 10_000_000;

    private static readonly byte[] HtmlBlock = Encoding.ASCII.GetBytes(
        string.Concat(Enumerable.Repeat("<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt.</p>\n", 640)));

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly Lazy<byte[]> _bomb = new(Bomb);

    public GeneratedOrigin()
    {
        _listener.Start(512);
        _accepting = AcceptAsync();
    }

    public Uri Url(string path) => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}{path}");

    /// <summary>The bomb's bytes on the wire (computed on first use: about 3 s of CPU).</summary>
    public byte[] BombBody => _bomb.Value;

    private async Task AcceptAsync()
    {
        try
        {
            // Stop() between two accepts makes the next one throw InvalidOperationException before it reads the token.
            while (!_stop.IsCancellationRequested)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                _ = Task.Run(() => ServeAsync(socket));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var buffer = new byte[8192];
        var filled = 0;
        try
        {
            while (true)
            {
                int end;
                while ((end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
                {
                    var read = await stream.ReadAsync(buffer.AsMemory(filled), _stop.Token);
                    if (read == 0)
                        return;
                    filled += read;
                }

                var line = Encoding.ASCII.GetString(buffer, 0, buffer.AsSpan(0, filled).IndexOf("\r\n"u8));
                var target = line.Split(' ')[1];
                buffer.AsSpan(end + 4, filled - end - 4).CopyTo(buffer);
                filled -= end + 4;
                await RespondAsync(stream, target);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private async Task RespondAsync(Stream stream, string target)
    {
        switch (target)
        {
            case "/frames.html":
                await SmallAsync(stream, "text/html", string.Concat(Enumerable.Range(0, Frames).Select(i => $"<iframe src=/frame/{i}.html></iframe>")));
                break;
            case "/images.html":
                await SmallAsync(stream, "text/html", string.Concat(Enumerable.Range(0, ImagesPerPage).Select(i => $"<img src=/image/{i}.png>")));
                break;
            case "/bomb.html":
                await HeadAsync(stream, "text/html", BombBody.Length, "Content-Encoding: gzip\r\n");
                await stream.WriteAsync(BombBody, _stop.Token);
                break;
            case not null when target.StartsWith("/frame/", StringComparison.Ordinal):
                await HeadAsync(stream, "text/html", FrameBytes);
                await RepeatAsync(stream, HtmlBlock, FrameBytes);
                break;
            case not null when target.StartsWith("/image/", StringComparison.Ordinal):
                await HeadAsync(stream, "image/png", ImageBytes);
                await RepeatAsync(stream, new byte[64 * 1024], ImageBytes);
                break;
            default:
                await SmallAsync(stream, "text/plain", "not found", "404 Not Found");
                break;
        }
    }

    private async Task SmallAsync(Stream stream, string type, string body, string status = "200 OK")
    {
        var bytes = Encoding.ASCII.GetBytes(body);
        await HeadAsync(stream, type, bytes.Length, status: status);
        await stream.WriteAsync(bytes, _stop.Token);
    }

    private Task HeadAsync(Stream stream, string type, long length, string extra = "", string status = "200 OK") =>
        stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: {type}\r\nContent-Length: {length}\r\n{extra}\r\n"), _stop.Token).AsTask();

    private async Task RepeatAsync(Stream stream, byte[] block, long length)
    {
        for (long sent = 0; sent < length; sent += block.Length)
            await stream.WriteAsync(block.AsMemory(0, (int)Math.Min(block.Length, length - sent)), _stop.Token);
    }

    /// <summary>1 GiB of HTML (a head, then spaces) gzipped: about 1 MB.</summary>
    private static byte[] Bomb()
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            var head = "<!doctype html><html><body><p>"u8;
            gzip.Write(head);
            var spaces = new byte[1 << 20];
            spaces.AsSpan().Fill((byte)' ');
            for (long written = head.Length; written < BombDecodedBytes; written += spaces.Length)
                gzip.Write(spaces, 0, (int)Math.Min(spaces.Length, BombDecodedBytes - written));
        }

        return output.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
