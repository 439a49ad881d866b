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
    /// <param name="settingsDelay">Sends the server's SETTINGS this long after the client's preface arrived, reading meanwhile; requests are answered after them.</param>
    /// <param name="settings">The server's SETTINGS parameters (none by default).</param>
    /// <param name="events">Notes what happened when, on the <see cref="System.Diagnostics.Stopwatch"/> clock the page clock reads too:
    /// <c>preface</c> once the client's preface is read, <c>headers PATH</c> as a request's HEADERS arrives, <c>settings</c> just before the SETTINGS are written, <c>answered PATH</c> once a request was answered.</param>
    public static ScriptedServer Serve(
        Func<H2Peer, int, int, string, Task> answer, bool sendSettings = true, System.Collections.Concurrent.ConcurrentQueue<Frame>? received = null,
        TimeSpan? settingsDelay = null, (SettingsParameter, uint)[]? settings = null, System.Collections.Concurrent.ConcurrentQueue<(string Event, long At)>? events = null) =>
        new(async connection =>
        {
            var peer = new H2Peer(connection);
            var preface = new byte[FrameWriter.Preface.Length];
            await connection.Stream.ReadExactlyAsync(preface);
            Assert.Equal(FrameWriter.Preface.ToArray(), preface);
            events?.Enqueue(("preface", System.Diagnostics.Stopwatch.GetTimestamp()));
            async Task SendSettingsAsync()
            {
                // A timer may fire a little early; the delay is held by the clock the tests read.
                var prefaceAt = System.Diagnostics.Stopwatch.GetTimestamp();
                while (settingsDelay is { } delay && System.Diagnostics.Stopwatch.GetElapsedTime(prefaceAt) is var held && held < delay)
                    await Task.Delay(delay - held + TimeSpan.FromMilliseconds(1));
                events?.Enqueue(("settings", System.Diagnostics.Stopwatch.GetTimestamp()));
                await peer.SendAsync(w => FrameWriter.WriteSettings(w, settings ?? []));
            }

            var settingsSent = sendSettings ? SendSettingsAsync() : Task.CompletedTask;
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
                    events?.Enqueue(($"headers {path}", System.Diagnostics.Stopwatch.GetTimestamp()));
                    // §3.4: the server's SETTINGS are the first frame it sends, whenever the client's requests came.
                    await settingsSent;
                    await answer(peer, connection.Index, frame.StreamId, path);
                    events?.Enqueue(($"answered {path}", System.Diagnostics.Stopwatch.GetTimestamp()));
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
