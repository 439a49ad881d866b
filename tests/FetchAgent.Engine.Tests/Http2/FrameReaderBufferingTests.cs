using System.Buffers;
using FetchAgent.Engine.Http2;

namespace FetchAgent.Engine.Tests.Http2;

/// <summary>
/// The frame reader reads ahead: frames come out whole and in order whatever the reads bring, many frames in one
/// read or a frame spread over many, and a payload it reuses the buffer for stays as it was until the next read.
/// </summary>
public sealed class FrameReaderBufferingTests
{
    /// <summary>A stream that gives at most <paramref name="most"/> bytes a read, and counts the reads.</summary>
    private sealed class Trickle(byte[] bytes, int most) : Stream
    {
        private int _at;

        public int Reads { get; private set; }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Reads++;
            var n = Math.Min(Math.Min(most, buffer.Length), bytes.Length - _at);
            bytes.AsSpan(_at, n).CopyTo(buffer.Span);
            _at += n;
            return new ValueTask<int>(n);
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).Result;
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => bytes.Length;
        public override long Position { get => _at; set => throw new NotSupportedException(); }
    }

    /// <summary>Three DATA frames of 16,384, 1 and 5,000 bytes, a PING, a HEADERS split over a CONTINUATION.</summary>
    private static (byte[] Bytes, List<(FrameType, int, string)> Expected) Wire()
    {
        var w = new ArrayBufferWriter<byte>();
        var expected = new List<(FrameType, int, string)>();
        foreach (var (length, seed) in new[] { (16_384, 1), (1, 2), (5_000, 3) })
        {
            var data = Enumerable.Range(0, length).Select(i => (byte)(i * seed + seed)).ToArray();
            FrameWriter.WriteData(w, 1, data, endStream: false);
            expected.Add((FrameType.Data, 1, Convert.ToHexString(data)));
        }

        FrameWriter.WritePing(w, "12345678"u8, ack: false);
        expected.Add((FrameType.Ping, 0, Convert.ToHexString("12345678"u8)));
        var block = Enumerable.Range(0, 30).Select(i => (byte)(0x80 | (i % 61 + 1))).ToArray();
        FrameWriter.WriteHeaders(w, 3, block, endStream: true, maxFrameSize: 20);
        expected.Add((FrameType.Headers, 3, Convert.ToHexString(block)));
        return (w.WrittenSpan.ToArray(), expected);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16_393)]
    [InlineData(1 << 20)]
    public async Task Frames_come_out_whole_and_in_order_whatever_each_read_brings(int bytesPerRead)
    {
        var (bytes, expected) = Wire();
        var stream = new Trickle(bytes, bytesPerRead);
        var reader = new FrameReader(stream, reusePayloadBuffer: true);
        var read = new List<(FrameType, int, string)>();
        while (await reader.ReadAsync(CancellationToken.None) is { } frame)
            read.Add((frame.Type, frame.StreamId, Convert.ToHexString(frame.Payload.Span))); // copied before the next read, as the reuse asks

        Assert.Equal(expected, read);
        Assert.Equal(bytes.Length, reader.BytesRead);
        // Reading ahead: when the reads bring everything at once, the six frames take two reads (the bytes, then the
        // end of the stream), not two per frame.
        if (bytesPerRead == 1 << 20)
            Assert.Equal(2, stream.Reads);
    }

    [Fact]
    public async Task A_frame_cut_short_by_the_end_of_the_stream_is_a_connection_error_and_a_clean_end_is_null()
    {
        var (bytes, _) = Wire();
        var cut = new FrameReader(new Trickle(bytes[..^3], 1000), reusePayloadBuffer: true);
        var error = await Assert.ThrowsAsync<Http2ProtocolException>(async () =>
        {
            while (await cut.ReadAsync(CancellationToken.None) is not null)
            {
            }
        });
        Assert.Equal("http2: the connection closed inside a frame", error.Message);

        var clean = new FrameReader(new Trickle([], 1000), reusePayloadBuffer: true);
        Assert.Null(await clean.ReadAsync(CancellationToken.None));
    }
}
