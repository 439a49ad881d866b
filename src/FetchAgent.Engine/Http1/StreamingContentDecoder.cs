using System.IO.Compression;

namespace FetchAgent.Engine.Http1;

/// <summary>
/// Undoes one Content-Encoding (gzip, deflate or br, RFC 9110 §8.4.1) on bytes pushed as they arrive: the
/// decompressor reads from a stream that returns what has come so far and 0 when it runs dry, and carries
/// on from there when more is pushed. Several codings, or one it does not know, are not streamed.
/// </summary>
internal sealed class StreamingContentDecoder : IDisposable
{
    private readonly string _coding;
    private readonly PushedBytes _input = new();
    private Stream? _decompressor;

    private StreamingContentDecoder(string coding) => _coding = coding;

    /// <summary>
    /// False when the body cannot be decoded as it streams (then discovery waits for the whole body);
    /// else the decoder, or null when the body is not content-coded at all.
    /// </summary>
    public static bool TryCreate(string? contentEncoding, out StreamingContentDecoder? decoder)
    {
        decoder = null;
        var codings = (contentEncoding ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(c => !c.Equals("identity", StringComparison.OrdinalIgnoreCase))
            .Select(c => c.ToLowerInvariant())
            .ToList();
        if (codings.Count == 0)
            return true;
        if (codings.Count > 1 || codings[0] is not ("gzip" or "x-gzip" or "deflate" or "br"))
            return false;
        decoder = new StreamingContentDecoder(codings[0]);
        return true;
    }

    public void Push(ReadOnlySpan<byte> coded) => _input.Push(coded);

    /// <summary>Decoded bytes available from what was pushed so far; 0 when it needs more input (or the body ended).</summary>
    public int Read(Span<byte> output)
    {
        if (_decompressor is null)
        {
            // RFC 9110 §8.4.1.2: "deflate" is zlib; some servers send raw deflate. Two bytes tell which.
            if (_coding == "deflate" && _input.Available < 2)
                return 0;
            _decompressor = _coding switch
            {
                "gzip" or "x-gzip" => new GZipStream(_input, CompressionMode.Decompress),
                "br" => new BrotliStream(_input, CompressionMode.Decompress),
                _ => _input.StartsWithZlibHeader ? new ZLibStream(_input, CompressionMode.Decompress) : new DeflateStream(_input, CompressionMode.Decompress),
            };
        }

        return _decompressor.Read(output);
    }

    public void Dispose() => _decompressor?.Dispose();

    /// <summary>A read-only stream over the bytes pushed so far; a read with nothing new returns 0 rather than waiting.</summary>
    private sealed class PushedBytes : Stream
    {
        private byte[] _buffer = new byte[4096];
        private int _start;
        private int _end;

        public int Available => _end - _start;

        // RFC 1950 §2.2: CM = 8, CINFO <= 7, and (CMF * 256 + FLG) a multiple of 31.
        public bool StartsWithZlibHeader =>
            Available >= 2 && (_buffer[_start] & 0x0F) == 8 && (_buffer[_start] >> 4) <= 7 && ((_buffer[_start] << 8) | _buffer[_start + 1]) % 31 == 0;

        public void Push(ReadOnlySpan<byte> data)
        {
            if (_end + data.Length > _buffer.Length)
            {
                var live = _end - _start;
                var target = live + data.Length > _buffer.Length ? new byte[Math.Max(_buffer.Length * 2, live + data.Length)] : _buffer;
                _buffer.AsSpan(_start, live).CopyTo(target);
                _buffer = target;
                _start = 0;
                _end = live;
            }

            data.CopyTo(_buffer.AsSpan(_end));
            _end += data.Length;
        }

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, _end - _start);
            _buffer.AsSpan(_start, n).CopyTo(buffer);
            _start += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
