using System.Buffers;
using FetchAgent.Engine.Http2;

namespace FetchAgent.Engine.Tests.Http2;

/// <summary>RFC 9113 framing on bytes: what the reader joins, strips and refuses, with the exact text of each connection error.</summary>
public sealed class FrameReaderTests
{
    private static byte[] Frame(int length, FrameType type, FrameFlags flags, int streamId, byte[]? payload = null)
    {
        var output = new ArrayBufferWriter<byte>();
        FrameWriter.WriteHeader(output, length, type, flags, streamId);
        output.Write(payload ?? new byte[length]);
        return output.WrittenSpan.ToArray();
    }

    private static async Task<List<Frame>> ReadAllAsync(params byte[][] frames)
    {
        var reader = new FrameReader(new MemoryStream(frames.SelectMany(f => f).ToArray()));
        var read = new List<Frame>();
        while (await reader.ReadAsync(CancellationToken.None) is { } frame)
            read.Add(frame);
        return read;
    }

    private static async Task<Http2ProtocolException> FailsAsync(params byte[][] frames) =>
        await Assert.ThrowsAsync<Http2ProtocolException>(() => ReadAllAsync(frames));

    [Fact]
    public void The_header_round_trips_and_drops_the_reserved_bit()
    {
        var bytes = new byte[9];
        new FrameHeader(0x123456, FrameType.Headers, FrameFlags.EndHeaders | FrameFlags.EndStream, 0x7fffffff).Write(bytes);
        Assert.Equal("12345601057fffffff", Convert.ToHexString(bytes).ToLowerInvariant());
        bytes[5] |= 0x80;
        Assert.Equal(new FrameHeader(0x123456, FrameType.Headers, FrameFlags.EndHeaders | FrameFlags.EndStream, 0x7fffffff), FrameHeader.Read(bytes));
    }

    [Fact]
    public async Task An_oversized_frame_is_a_frame_size_error()
    {
        var error = await FailsAsync(Frame(16_385, FrameType.Data, FrameFlags.None, 1));
        Assert.Equal(Http2ErrorCode.FrameSizeError, error.Code);
        Assert.Equal("http2: a DATA frame of 16385 bytes is larger than SETTINGS_MAX_FRAME_SIZE 16384 (§4.2)", error.Message);
    }

    [Fact]
    public async Task Headers_and_continuations_arrive_as_one_field_block()
    {
        var frames = await ReadAllAsync(
            Frame(2, FrameType.Headers, FrameFlags.EndStream, 3, [0x82, 0x86]),
            Frame(1, FrameType.Continuation, FrameFlags.None, 3, [0x84]),
            Frame(1, FrameType.Continuation, FrameFlags.EndHeaders, 3, [0x88]));
        var frame = Assert.Single(frames);
        Assert.Equal(new FrameHeader(4, FrameType.Headers, FrameFlags.EndStream | FrameFlags.EndHeaders, 3), frame.Header);
        Assert.Equal(new byte[] { 0x82, 0x86, 0x84, 0x88 }, frame.Payload.ToArray());
    }

    [Fact]
    public async Task Another_frame_inside_a_field_block_is_a_protocol_error()
    {
        var error = await FailsAsync(Frame(1, FrameType.Headers, FrameFlags.None, 3, [0x82]), Frame(8, FrameType.Ping, FrameFlags.None, 0));
        Assert.Equal(Http2ErrorCode.ProtocolError, error.Code);
        Assert.Equal("http2: a PING frame on stream 0 inside the field block of stream 3 (§6.10 allows only CONTINUATION)", error.Message);
    }

    [Fact]
    public async Task A_continuation_alone_is_a_protocol_error()
    {
        Assert.Equal("http2: a CONTINUATION frame on stream 5 without a HEADERS frame before it (§6.10)",
            (await FailsAsync(Frame(1, FrameType.Continuation, FrameFlags.EndHeaders, 5, [0x82]))).Message);
    }

    [Fact]
    public async Task Padding_and_priority_fields_are_stripped()
    {
        var frames = await ReadAllAsync(
            Frame(6, FrameType.Data, FrameFlags.Padded | FrameFlags.EndStream, 1, [2, (byte)'a', (byte)'b', (byte)'c', 0, 0]),
            Frame(8, FrameType.Headers, FrameFlags.Padded | FrameFlags.Priority | FrameFlags.EndHeaders, 3, [1, 0, 0, 0, 0, 16, 0x88, 0]));
        Assert.Equal("abc"u8.ToArray(), frames[0].Payload.ToArray());
        Assert.Equal(new byte[] { 0x88 }, frames[1].Payload.ToArray());
    }

    [Fact]
    public async Task Padding_as_long_as_the_payload_is_a_protocol_error()
    {
        Assert.Equal("http2: a DATA frame on stream 1 with 3 bytes of padding in 3 bytes (§6.1)",
            (await FailsAsync(Frame(3, FrameType.Data, FrameFlags.Padded, 1, [3, 0, 0]))).Message);
    }

    [Theory]
    [InlineData(FrameType.Settings, 1, 0, "http2: a SETTINGS frame on stream 1 (§6 puts it on stream 0)")]
    [InlineData(FrameType.Data, 0, 0, "http2: a DATA frame on stream 0 (§6)")]
    [InlineData(FrameType.RstStream, 0, 4, "http2: a RST_STREAM frame on stream 0 (§6)")]
    [InlineData(FrameType.Settings, 0, 5, "http2: a SETTINGS frame of 5 bytes, not a multiple of 6 (§6.5)")]
    [InlineData(FrameType.Ping, 0, 7, "http2: a PING frame of 7 bytes, not 8 (§6.7)")]
    [InlineData(FrameType.WindowUpdate, 1, 5, "http2: a WINDOW_UPDATE frame of 5 bytes, not 4 (§6.9)")]
    [InlineData(FrameType.GoAway, 0, 7, "http2: a GOAWAY frame of 7 bytes, fewer than 8 (§6.8)")]
    [InlineData(FrameType.PushPromise, 1, 4, "http2: a PUSH_PROMISE frame on stream 1, though push was disabled (§8.4)")]
    public async Task Each_type_keeps_its_stream_and_length_rules(FrameType type, int streamId, int length, string text)
    {
        Assert.Equal(text, (await FailsAsync(Frame(length, type, FrameFlags.None, streamId))).Message);
    }

    [Fact]
    public async Task A_settings_ack_with_a_payload_is_a_frame_size_error()
    {
        var error = await FailsAsync(Frame(6, FrameType.Settings, FrameFlags.Ack, 0));
        Assert.Equal(Http2ErrorCode.FrameSizeError, error.Code);
        Assert.Equal("http2: a SETTINGS ACK frame with 6 bytes of payload (§6.5)", error.Message);
    }

    [Fact]
    public async Task A_close_inside_a_frame_is_a_reset()
    {
        var error = await FailsAsync(Frame(8, FrameType.Ping, FrameFlags.None, 0)[..12]);
        Assert.Equal("http2: the connection closed inside a frame", error.Message);
        Assert.Equal(FetchAgent.Engine.Model.ErrorKind.Reset, error.Kind);
    }

    [Fact]
    public async Task Headers_split_by_the_writer_read_back_whole()
    {
        var block = Enumerable.Range(0, 40_000).Select(i => (byte)i).ToArray();
        var output = new ArrayBufferWriter<byte>();
        FrameWriter.WriteHeaders(output, 7, block, endStream: true, maxFrameSize: 16_384);
        var frame = Assert.Single(await ReadAllAsync(output.WrittenSpan.ToArray()));
        Assert.Equal(block, frame.Payload.ToArray());
        Assert.True(frame.Has(FrameFlags.EndStream));
    }

    [Fact]
    public void Settings_apply_and_refuse_what_the_rfc_forbids()
    {
        var settings = new PeerSettings();
        var output = new ArrayBufferWriter<byte>();
        FrameWriter.WriteSettings(output, [(SettingsParameter.MaxConcurrentStreams, 4), (SettingsParameter.InitialWindowSize, 1024)]);
        Assert.Equal(1024 - 65_535, settings.Apply(output.WrittenSpan[9..]));
        Assert.Equal(4, settings.MaxConcurrentStreams);
        Assert.Equal(["SETTINGS_MAX_CONCURRENT_STREAMS", "SETTINGS_INITIAL_WINDOW_SIZE"], settings.Received.Keys);

        var tooBig = new ArrayBufferWriter<byte>();
        FrameWriter.WriteSettings(tooBig, [(SettingsParameter.InitialWindowSize, 0x80000000)]);
        var error = Assert.Throws<Http2ProtocolException>(() => settings.Apply(tooBig.WrittenSpan[9..]));
        Assert.Equal(Http2ErrorCode.FlowControlError, error.Code);
        Assert.Equal("http2: SETTINGS_INITIAL_WINDOW_SIZE of 2147483648 is above 2^31-1 (§6.5.2)", error.Message);
    }
}
