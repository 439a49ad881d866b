using System.Buffers;
using System.Net;
using System.Net.Sockets;
using FetchAgent.Engine.Http2;

namespace FetchAgent.Engine.Connections;

internal sealed partial class Http2Connection
{
    /// <summary>
    /// The process warm-up's share of HTTP/2 (see <c>ProcessWarmup</c>): <paramref name="load"/> loads a one-object page
    /// over h2c with prior knowledge from a throwaway HTTP/2 responder on loopback, so the connection, its reader
    /// loop, HPACK, frames and streams are compiled off any page clock. Else their JIT lands in the first multiplexed
    /// load's first <c>send</c> (about 10 ms in a fresh daemon), where nothing is being sent.
    /// </summary>
    public static async Task WarmUpAsync(Func<Uri, Task> load)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        using var stop = new CancellationTokenSource();
        var serving = ServeOneAsync(listener, stop.Token);
        try
        {
            await load(new Uri($"http://127.0.0.1:{port}/")).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await serving.ConfigureAwait(false);
        }
    }

    /// <summary>Answers every request on one h2c connection with a tiny HTML page (RFC 9113 §3.4: SETTINGS first).</summary>
    private static async Task ServeOneAsync(Socket listener, CancellationToken stop)
    {
        try
        {
            using var socket = await listener.AcceptAsync(stop).ConfigureAwait(false);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            await stream.ReadExactlyAsync(new byte[FrameWriter.Preface.Length], stop).ConfigureAwait(false);
            var encoder = new HpackEncoder();
            var reader = new FrameReader(stream, reusePayloadBuffer: true);
            await WriteFramesAsync(stream, w => FrameWriter.WriteSettings(w, [(SettingsParameter.MaxConcurrentStreams, 100)]), stop).ConfigureAwait(false);
            while (await reader.ReadAsync(stop).ConfigureAwait(false) is { } frame)
            {
                if (frame.Type == FrameType.GoAway)
                    break;
                if (frame.Type != FrameType.Headers)
                    continue;
                var id = frame.StreamId;
                await WriteFramesAsync(stream, w =>
                {
                    var block = new ArrayBufferWriter<byte>();
                    encoder.Encode([new HpackField(":status", "200"), new HpackField("content-type", "text/html")], block);
                    FrameWriter.WriteHeaders(w, id, block.WrittenSpan, endStream: false, PeerSettings.DefaultMaxFrameSize);
                    FrameWriter.WriteData(w, id, "<!doctype html><title>warm-up</title>"u8, endStream: true);
                }, stop).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or Http2ProtocolException)
        {
            // The warm-up only prepares the process.
        }
    }

    private static async Task WriteFramesAsync(Stream stream, Action<ArrayBufferWriter<byte>> frames, CancellationToken stop)
    {
        var buffer = new ArrayBufferWriter<byte>();
        frames(buffer);
        await stream.WriteAsync(buffer.WrittenMemory, stop).ConfigureAwait(false);
    }
}
