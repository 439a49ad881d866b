using static FetchAgent.Engine.Http1.HttpBytes;

namespace FetchAgent.Engine.Http1;

/// <summary>
/// Incremental parser of a status line plus field lines (RFC 9112 §4–5), or of a trailer section (§7.1.2).
/// It consumes only complete lines, so it resumes at any split of the input: the caller passes the unread
/// buffer again after more bytes arrive.
/// </summary>
/// <remarks>
/// Line ends: CRLF, or a bare LF (§2.2 lets a recipient accept one). obs-fold (§5.2): a user agent must replace
/// it with SP, so a continuation line is appended to the previous field's value after one SP. A whitespace-led
/// line right after the status line is rejected (§2.2 allows rejecting it).
/// </remarks>
internal sealed class HeaderSectionParser
{
    private readonly int _maxBytes;
    private readonly bool _startsWithStatusLine;
    private readonly string _sectionName;
    private List<HeaderField> _fields = [];
    private bool _statusLineSeen;

    public HeaderSectionParser(int maxBytes, bool startsWithStatusLine)
    {
        _maxBytes = maxBytes;
        _startsWithStatusLine = startsWithStatusLine;
        _sectionName = startsWithStatusLine ? "header" : "trailer";
        Reset();
    }

    /// <summary>Bytes of the section consumed so far, line terminators included.</summary>
    public long Bytes { get; private set; }

    public int Major { get; private set; }
    public int Minor { get; private set; }
    public int StatusCode { get; private set; }
    public string ReasonPhrase { get; private set; } = string.Empty;

    /// <summary>The fields of the finished section; a fresh list per section, handed to the caller.</summary>
    public List<HeaderField> Fields => _fields;

    public void Reset()
    {
        _fields = [];
        _statusLineSeen = !_startsWithStatusLine;
        Bytes = 0;
        Major = Minor = StatusCode = 0;
        ReasonPhrase = string.Empty;
    }

    /// <summary>Consumes complete lines from <paramref name="input"/>; true once the empty line ending the section is consumed.</summary>
    public bool TryParse(ReadOnlySpan<byte> input, out int consumed)
    {
        consumed = 0;
        while (true)
        {
            var rest = input[consumed..];
            var lf = rest.IndexOf(LF);
            if (lf < 0)
            {
                // The partial line already counts: a peer must not make us buffer past the cap.
                if (Bytes + rest.Length > _maxBytes)
                    throw TooLarge();
                return false;
            }

            Bytes += lf + 1;
            if (Bytes > _maxBytes)
                throw TooLarge();

            var line = rest[..lf];
            if (!line.IsEmpty && line[^1] == CR)
                line = line[..^1];
            consumed += lf + 1;

            if (!_statusLineSeen)
            {
                ParseStatusLine(line);
                _statusLineSeen = true;
                continue;
            }

            if (line.IsEmpty)
                return true;

            if (line[0] is SP or HTAB)
                AppendObsFold(line);
            else
                _fields.Add(ParseFieldLine(line));
        }
    }

    // RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ]; HTTP-version = "HTTP/" DIGIT "." DIGIT.
    private void ParseStatusLine(ReadOnlySpan<byte> line)
    {
        if (line.Length < 12 || !line.StartsWith(HttpSlash) || !IsDigit(line[5]) || line[6] != Dot || !IsDigit(line[7])
            || line[8] != SP || !IsDigit(line[9]) || !IsDigit(line[10]) || !IsDigit(line[11]))
            throw InvalidStatusLine();

        Major = line[5] - '0';
        Minor = line[7] - '0';
        StatusCode = ((line[9] - '0') * 100) + ((line[10] - '0') * 10) + (line[11] - '0');
        if (Major != 1 || StatusCode < 100)
            throw InvalidStatusLine();

        // A missing SP before an empty reason is tolerated, as browsers do.
        if (line.Length == 12)
        {
            ReasonPhrase = string.Empty;
            return;
        }

        if (line[12] != SP)
            throw InvalidStatusLine();
        var reason = line[13..];
        if (!IsValidFieldValue(reason))
            throw InvalidStatusLine();
        ReasonPhrase = reason.SequenceEqual("OK"u8) ? "OK" : Latin1(reason);
    }

    // RFC 9112 §5: field-line = field-name ":" OWS field-value OWS; no whitespace between name and colon (§5.1).
    private HeaderField ParseFieldLine(ReadOnlySpan<byte> line)
    {
        var colon = line.IndexOf(Colon);
        if (colon <= 0)
            throw InvalidLine();
        var name = line[..colon];
        if (!IsToken(name))
            throw InvalidLine();
        var value = TrimOws(line[(colon + 1)..]);
        if (!IsValidFieldValue(value))
            throw InvalidLine();
        return new HeaderField(KnownHeaderNames.Get(name), Latin1(value));
    }

    private void AppendObsFold(ReadOnlySpan<byte> line)
    {
        if (_fields.Count == 0)
            throw InvalidLine();
        var more = TrimOws(line);
        if (!IsValidFieldValue(more))
            throw InvalidLine();
        if (more.IsEmpty)
            return;
        var last = _fields[^1];
        var value = last.Value.Length == 0 ? Latin1(more) : last.Value + " " + Latin1(more);
        _fields[^1] = last with { Value = value };
    }

    private HttpProtocolException TooLarge() =>
        new(ResponseRejection.HeaderSectionTooLarge, $"{_sectionName} section too large: over {_maxBytes} bytes");

    private HttpProtocolException InvalidLine() =>
        new(ResponseRejection.InvalidHeaderLine, $"invalid {_sectionName} line");

    private static HttpProtocolException InvalidStatusLine() =>
        new(ResponseRejection.InvalidStatusLine, "invalid status line");
}
