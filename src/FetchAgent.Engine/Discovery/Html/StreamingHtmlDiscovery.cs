using System.IO.Compression;
using System.Text;
using FetchAgent.Engine.Discovery.Css;
using FetchAgent.Engine.Http1;

namespace FetchAgent.Engine.Discovery.Html;

/// <summary>
/// Discovery of one HTML response while its body streams in: watches the body as the HTTP reader reads it
/// (<see cref="BodyObserver"/>), undoes gzip/deflate/br as it goes, picks the encoding (BOM, Content-Type
/// charset, a meta charset in the first 1024 bytes, else UTF-8 for ASCII and "wait" for the rest) and runs
/// the <see cref="HtmlPreloadScanner"/>. The full parse at the end (<see cref="HtmlDiscovery"/>) stays the
/// authority: it confirms the flags and requests whatever the scanner could not be sure of.
/// </summary>
public sealed class StreamingHtmlDiscovery
{
    private readonly Uri _documentUrl;
    private readonly bool _successOnly;
    private readonly long _maxDecodedBytes;
    private readonly byte[] _decoded = new byte[16 * 1024];
    private readonly byte[] _start = new byte[3];
    private int _startLength;
    private Phase _phase = Phase.AwaitingHead;
    private StreamingContentDecoder? _decoder;
    private HtmlPreloadScanner? _scanner;
    private Encoding? _declared;
    private bool _sniffMarkup;
    private long _decodedBytes;

    private enum Phase
    {
        AwaitingHead,
        AwaitingFirstByte,
        Scanning,
        Off,
    }

    /// <param name="documentUrl">The URL of the request whose body this will see.</param>
    /// <param name="successOnly">Only a 2xx is read (frames); the page's own document is read whatever its status.</param>
    /// <param name="maxDecodedBytes">Stop scanning when the decoded body grows past this.</param>
    internal StreamingHtmlDiscovery(Uri documentUrl, bool successOnly, long maxDecodedBytes)
    {
        _documentUrl = documentUrl;
        _successOnly = successOnly;
        _maxDecodedBytes = maxDecodedBytes;
    }

    /// <summary>Why the body was not (or no longer) scanned as it arrived, for a test or a trace; null while scanning.</summary>
    internal string? NotStreamedBecause { get; private set; }

    /// <summary>True once the scanner has seen body bytes.</summary>
    internal bool Streamed { get; private set; }

    /// <summary>References found by the scanner and not yet taken (new ones, and earlier ones whose flags grew).</summary>
    internal List<DiscoveredResource> Found => _scanner?.Found ?? NoneFound;

    private static readonly List<DiscoveredResource> NoneFound = [];

    /// <summary>True once the scanner has read up to where the parser inserts the body (see <see cref="HtmlPreloadScanner.BodyStarted"/>).</summary>
    internal bool BodyStarted => _scanner?.BodyStarted ?? false;

    /// <summary>References the parser must see end before it inserts the body, not yet taken (see <see cref="HtmlPreloadScanner.BodyWaitsFor"/>).</summary>
    internal List<Uri> BodyWaitsFor => _scanner?.BodyWaitsFor ?? NoWaits;

    private static readonly List<Uri> NoWaits = [];

    /// <summary>The <see cref="BodyObserver"/>: one run of body bytes (content-coded) as it was read. Never throws.</summary>
    internal void Observe(ResponseHead head, ReadOnlySpan<byte> body)
    {
        if (_phase == Phase.Off)
            return;
        try
        {
            if (_phase == Phase.AwaitingHead && !Start(head))
                return;
            if (_decoder is null)
            {
                Decoded(body);
                return;
            }

            _decoder.Push(body);
            int n;
            while (_phase != Phase.Off && (n = _decoder.Read(_decoded)) > 0)
                Decoded(_decoded.AsSpan(0, n));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or InvalidOperationException or ArgumentException or NotSupportedException or FormatException or UriFormatException)
        {
            // Bad compressed data or a scanner bug: the full parse at the end reports or covers it.
            Off($"stopped: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Decides from the head whether this body is HTML we can scan as it arrives.</summary>
    private bool Start(ResponseHead head)
    {
        var type = head.Get("Content-Type");
        if (head.IsRedirect || (_successOnly && head.StatusCode is < 200 or >= 300))
            return Off("not a final response");
        if (type is not null && !type.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) &&
            !type.StartsWith("application/xhtml+xml", StringComparison.OrdinalIgnoreCase))
        {
            return Off("not HTML");
        }

        if (!StreamingContentDecoder.TryCreate(head.Get("Content-Encoding"), out _decoder))
            return Off($"content coding not streamed: {head.Get("Content-Encoding")}");
        _sniffMarkup = type is null;
        _declared = CharsetLabels.Find(CharsetDecoder.CharsetParameter(type));
        _phase = Phase.AwaitingFirstByte;
        return true;
    }

    private void Decoded(ReadOnlySpan<byte> bytes)
    {
        // The parse cap: the scanner reads exactly the bytes the full parse will (the first maxDecodedBytes), no more.
        var room = _maxDecodedBytes - _decodedBytes;
        var capped = bytes.Length > room;
        if (capped)
            bytes = bytes[..(int)Math.Max(room, 0)];
        _decodedBytes += bytes.Length;
        if (!bytes.IsEmpty)
            Scan(bytes);
        if (capped)
            Off("parse cap");
    }

    private void Scan(ReadOnlySpan<byte> bytes)
    {
        if (_phase == Phase.AwaitingFirstByte)
        {
            bytes = First(bytes);
            if (_phase != Phase.Scanning)
                return;
        }

        Streamed = true;
        _scanner!.Feed(bytes);
        if (_scanner.Stopped)
            NotStreamedBecause ??= "scanner stopped: the full parse does the rest";
    }

    /// <summary>
    /// The first decoded bytes: up to three are held while they may still be a byte order mark (Encoding §6: a BOM
    /// wins over every label); an untyped body must start with markup. Returns what the scanner should read next.
    /// </summary>
    private ReadOnlySpan<byte> First(ReadOnlySpan<byte> bytes)
    {
        if (_startLength == 0 && (bytes.Length >= 3 || bytes.IsEmpty || bytes[0] is not (0xEF or 0xFE or 0xFF)))
            return Begin(bytes);

        var take = Math.Min(_start.Length - _startLength, bytes.Length);
        bytes[..take].CopyTo(_start.AsSpan(_startLength));
        _startLength += take;
        var start = _start.AsSpan(0, _startLength);
        if (start is [0xEF] or [0xEF, 0xBB] or [0xFE] or [0xFF])
            return default; // may yet be a BOM
        var rest = Begin(start);
        if (_phase == Phase.Scanning)
            _scanner!.Feed(rest);
        return _phase == Phase.Scanning ? bytes[take..] : default;
    }

    private ReadOnlySpan<byte> Begin(ReadOnlySpan<byte> first)
    {
        if (_sniffMarkup)
        {
            var trimmed = first.TrimStart(" \t\r\n\f"u8);
            if (trimmed.IsEmpty)
                return default; // whitespace only so far: the next byte decides
            if (trimmed[0] != '<' && trimmed[0] is not (0xEF or 0xFE or 0xFF))
            {
                Off("not markup");
                return default;
            }
        }

        var (bom, length) = CharsetDecoder.SniffBom(first);
        if (bom is not null && CharsetLabels.IsUtf16(bom))
        {
            Off("UTF-16");
            return default;
        }

        _scanner = new HtmlPreloadScanner(_documentUrl, bom ?? _declared);
        _phase = Phase.Scanning;
        Streamed = true;
        return first[length..];
    }

    /// <summary>True once nothing more of this body will be scanned (the cap, not HTML, a failure): queueing more is waste.</summary>
    internal bool IsOff => Volatile.Read(ref _off);

    private bool _off;

    private bool Off(string reason)
    {
        _phase = Phase.Off;
        Volatile.Write(ref _off, true);
        NotStreamedBecause ??= reason;
        _decoder?.Dispose();
        return false;
    }

    /// <summary>
    /// Runs the whole streaming path once on a small in-memory document — gzip, the scanner, the element rules, the
    /// full parse and the CSS scanner — so a process can compile it before a page clock starts.
    /// </summary>
    public static void WarmUp()
    {
        var url = new Uri("http://warm-up.invalid/");
        var html = """
            <!doctype html><html><head><meta charset="utf-8"><base href="/"><link rel=stylesheet href="a.css?x=1&amp;y=2">
            <script src="b.js" async></script><style media=screen>@import 'c.css'; a { background: url(d.png) }</style>
            <!-- <img src="no.png"> --><script>var s = "<img src=no2.png>";</script></head>
            <body style="background: url(e.png)"><picture><source srcset="f.webp 1x" type="image/webp"><img src="g.jpg"></picture>
            <img srcset="h.png 1x, i.png 2x" sizes="50vw"><video poster=j.png><source src=k.mp4 type=video/mp4><track src=l.vtt></video>
            <iframe src=m.html></iframe><input type=image src=n.png><object data=o.svg></object><embed src=p.pdf>
            <template><img src=q.png></template><svg><image href=r.png /></svg><select><img src=s.png></select></body></html>
            """u8.ToArray();
        using var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(html);
        var bytes = gzipped.ToArray();
        var head = new ResponseHead
        {
            Major = 1, Minor = 1, StatusCode = 200, ReasonPhrase = "OK", HeaderBytes = 0, FirstByteTimestamp = 0,
            Headers = [new HeaderField("Content-Type", "text/html"), new HeaderField("Content-Encoding", "gzip")],
        };
        var discovery = new StreamingHtmlDiscovery(url, successOnly: false, maxDecodedBytes: 1 << 20);
        for (var i = 0; i < bytes.Length; i += 64)
            discovery.Observe(head, bytes.AsSpan(i, Math.Min(64, bytes.Length - i)));
        discovery.Found.Clear();
        HtmlDiscovery.Discover(html, "text/html", url);
        CssDiscovery.Discover("@import 'd.css'; a { background: url(e.png) }"u8.ToArray(), "text/css", url);
    }
}
