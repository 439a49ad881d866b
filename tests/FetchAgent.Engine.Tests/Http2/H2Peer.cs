using System.Buffers;
using System.Text;
using FetchAgent.Engine.Http2;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Http2;

/// <summary>
/// A scripted HTTP/2 server (h2c, prior knowledge) on a <see cref="ScriptedServer"/> socket, for peers no real server
/// plays: it reads the client's preface and frames, and answers each request by the script's word, frame by frame.
/// </summary>
internal sealed class H2Peer
{
    private readonly ServerConnection _connection;
    private readonly HpackEncoder _encoder = new(huffman: false);

    private H2Peer(ServerConnection connection) => _connection = connection;

    /// <summary>Serves each connection: <paramref name="answer"/> gets the peer, the connection's index, the request's stream id and path.</summary>
    /// <param name="received">Collects every frame the client sent (the preface aside), in order.</param>
    public static ScriptedServer Serve(Func<H2Peer, int, int, string, Task> answer, bool sendSettings = true, System.Collections.Concurrent.ConcurrentQueue<Frame>? received = null) =>
        new(async connection =>
        {
            var peer = new H2Peer(connection);
            var preface = new byte[FrameWriter.Preface.Length];
            await connection.Stream.ReadExactlyAsync(preface);
            Assert.Equal(FrameWriter.Preface.ToArray(), preface);
            if (sendSettings)
                await peer.SendAsync(w => FrameWriter.WriteSettings(w, []));
            var reader = new FrameReader(connection.Stream);
            var decoder = new HpackDecoder();
            try
            {
                while (await reader.ReadAsync(connection.Stopping) is { } frame)
                {
                    received?.Enqueue(frame);
                    if (frame.Type != FrameType.Headers)
                        continue;
                    var path = decoder.Decode(frame.Payload.Span).Single(f => f.Name == ":path").Value;
                    await answer(peer, connection.Index, frame.StreamId, path);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
            }
        });

    public async Task SendAsync(Action<ArrayBufferWriter<byte>> frames)
    {
        var buffer = new ArrayBufferWriter<byte>();
        frames(buffer);
        await _connection.Stream.WriteAsync(buffer.WrittenMemory);
        await _connection.Stream.FlushAsync();
    }

    public Task HeadersAsync(int streamId, int status, string contentType, bool endStream = false, params (string, string)[] more) =>
        SendAsync(w =>
        {
            var block = new ArrayBufferWriter<byte>();
            _encoder.Encode([new HpackField(":status", status.ToString(System.Globalization.CultureInfo.InvariantCulture)), new HpackField("content-type", contentType), .. more.Select(f => new HpackField(f.Item1, f.Item2))], block);
            FrameWriter.WriteHeaders(w, streamId, block.WrittenSpan, endStream, 16_384);
        });

    public Task DataAsync(int streamId, byte[] data, bool endStream) => SendAsync(w => FrameWriter.WriteData(w, streamId, data, endStream));

    /// <summary>A whole 200 response with its body.</summary>
    public async Task RespondAsync(int streamId, string contentType, string body)
    {
        await HeadersAsync(streamId, 200, contentType);
        await DataAsync(streamId, Encoding.UTF8.GetBytes(body), endStream: true);
    }

    /// <summary>The page every hostile test loads: a document with one image, which is where the peer misbehaves.</summary>
    public const string Page = "<!doctype html><title>t</title><img src=/a.png>";
}
