using System.Buffers;
using System.Text;

namespace FetchAgent.Engine.Discovery.Css;

/// <summary>
/// A tokenizer following CSS Syntax Level 3 §4.3 "Tokenizer Algorithms". It exists so that
/// comments and strings cannot fool discovery: <c>/* url(a.png) */</c> is a comment and
/// <c>"url(b.png)"</c> a string, while <c>url(d\).png)</c> is one url token.
/// </summary>
/// <remarks>
/// It streams <see cref="CssTokenRange"/>s over preprocessed text (§3.3, <see cref="Preprocess(Span{char})"/>) and
/// allocates nothing: a token's value stays a range of the source until someone asks for it
/// (<see cref="Value"/>, <see cref="ValueEquals"/>, <see cref="ValueEqualsLowered"/>). A value with a backslash
/// in it is decoded by running the same algorithm again from the token's start with an output buffer
/// (the "decoding" mode below), so escapes have one implementation. Being a struct, a copy is a bookmark:
/// copy it to look ahead, assign the copy back to rewind.
/// </remarks>
internal ref partial struct CssTokenizer
{
    private const char Eof = '\uFFFF';

    private static readonly SearchValues<char> NeedPreprocessing = SearchValues.Create("\r\f\0");

    private readonly ReadOnlySpan<char> _s;
    private int _i;

    // Decoding mode: the code points of the token's value are written to _out.
    private readonly bool _decoding;
    private readonly Span<char> _out;
    private int _outLength;

    // The value range of the token being consumed, and whether a backslash occurs in it.
    private int _valueStart;
    private int _valueEnd;
    private bool _escaped;

    /// <param name="preprocessed">Text already through <see cref="Preprocess(string)"/>; offsets index it.</param>
    public CssTokenizer(ReadOnlySpan<char> preprocessed) => _s = preprocessed;

    /// <summary>A tokenizer in decoding mode, positioned at <paramref name="position"/>.</summary>
    private CssTokenizer(ReadOnlySpan<char> source, int position, Span<char> output)
    {
        _s = source;
        _i = position;
        _decoding = true;
        _out = output;
    }

    /// <summary>The length of the source: where the text ends (a U+FFFF in it also reads as EOF).</summary>
    public readonly int Length => _s.Length;

    /// <summary>The source text from <paramref name="start"/> to <paramref name="end"/>, as a string.</summary>
    public readonly string Text(int start, int end) => new(_s[start..end]);

    /// <summary>
    /// All tokens but EOF, each with its value as a string; <paramref name="source"/> is the preprocessed
    /// text the offsets index. For short texts (media queries, <c>sizes</c>) whose every token is read.
    /// </summary>
    public static List<CssToken> Tokenize(string css, out string source)
    {
        source = Preprocess(css);
        var tokenizer = new CssTokenizer(source);
        var tokens = new List<CssToken>();
        for (var t = tokenizer.Next(); t.Type != CssTokenType.Eof; t = tokenizer.Next())
        {
            tokens.Add(new CssToken(t.Type, tokenizer.Value(t), t.Start, t.End));
        }

        return tokens;
    }

    /// <summary>§3.3 "Preprocessing the input stream": CR, FF and CRLF become LF; NUL becomes U+FFFD.</summary>
    public static string Preprocess(string css)
    {
        if (!css.AsSpan().ContainsAny(NeedPreprocessing))
        {
            return css;
        }

        var chars = css.ToCharArray();
        return new string(chars, 0, Preprocess(chars));
    }

    /// <summary>As <see cref="Preprocess(string)"/>, in place; returns the new length (a CRLF shrinks to LF).</summary>
    public static int Preprocess(Span<char> text)
    {
        var first = text.IndexOfAny(NeedPreprocessing);
        if (first < 0)
        {
            return text.Length;
        }

        var w = first;
        for (var r = first; r < text.Length; r++)
        {
            var c = text[r];
            switch (c)
            {
                case '\r':
                    if (r + 1 < text.Length && text[r + 1] == '\n')
                    {
                        r++;
                    }

                    text[w++] = '\n';
                    break;
                case '\f':
                    text[w++] = '\n';
                    break;
                case '\0':
                    text[w++] = '\uFFFD';
                    break;
                default:
                    text[w++] = c;
                    break;
            }
        }

        return w;
    }

    /// <summary>Does <paramref name="text"/> need <see cref="Preprocess(Span{char})"/>?</summary>
    public static bool NeedsPreprocessing(ReadOnlySpan<char> text) => text.ContainsAny(NeedPreprocessing);

    private readonly char At(int offset) => _i + offset < _s.Length ? _s[_i + offset] : Eof;

    /// <summary>The next token that is not whitespace (discovery reads the stream with whitespace dropped).</summary>
    public CssTokenRange NextSignificant()
    {
        var t = Next();
        while (t.Type == CssTokenType.Whitespace)
        {
            t = Next();
        }

        return t;
    }

    /// <summary>§4.3.1 "Consume a token" (comments are consumed first and produce nothing). EOF repeats.</summary>
    public CssTokenRange Next()
    {
        ConsumeComments();
        var start = _i;
        _valueStart = _valueEnd = start;
        _escaped = false;
        var c = At(0);
        if (c == Eof)
        {
            return Make(CssTokenType.Eof, start);
        }

        _i++;
        switch (c)
        {
            case '\n' or '\t' or ' ':
                while (At(0) is '\n' or '\t' or ' ')
                {
                    _i++;
                }

                return Make(CssTokenType.Whitespace, start);
            case '"' or '\'':
                return ConsumeString(c, start);
            case '#':
                if (IsIdentCodePoint(At(0)) || IsValidEscape(At(0), At(1)))
                {
                    ConsumeIdentSequence();
                    return Make(CssTokenType.Hash, start);
                }

                return Make(CssTokenType.Delim, start);
            case '(':
                return Make(CssTokenType.OpenParen, start);
            case ')':
                return Make(CssTokenType.CloseParen, start);
            case '+' or '.':
                if (StartsNumber(c, At(0), At(1)))
                {
                    _i--;
                    return ConsumeNumeric(start);
                }

                return Make(CssTokenType.Delim, start);
            case ',':
                return Make(CssTokenType.Comma, start);
            case '-':
                if (StartsNumber(c, At(0), At(1)))
                {
                    _i--;
                    return ConsumeNumeric(start);
                }

                if (At(0) == '-' && At(1) == '>')
                {
                    _i += 2;
                    return Make(CssTokenType.Cdc, start);
                }

                if (StartsIdent(c, At(0), At(1)))
                {
                    _i--;
                    return ConsumeIdentLike(start);
                }

                return Make(CssTokenType.Delim, start);
            case ':':
                return Make(CssTokenType.Colon, start);
            case ';':
                return Make(CssTokenType.Semicolon, start);
            case '<':
                if (At(0) == '!' && At(1) == '-' && At(2) == '-')
                {
                    _i += 3;
                    return Make(CssTokenType.Cdo, start);
                }

                return Make(CssTokenType.Delim, start);
            case '@':
                if (StartsIdent(At(0), At(1), At(2)))
                {
                    ConsumeIdentSequence();
                    return Make(CssTokenType.AtKeyword, start);
                }

                return Make(CssTokenType.Delim, start);
            case '[':
                return Make(CssTokenType.OpenSquare, start);
            case '\\':
                if (IsValidEscape(c, At(0)))
                {
                    _i--;
                    return ConsumeIdentLike(start);
                }

                return Make(CssTokenType.Delim, start);
            case ']':
                return Make(CssTokenType.CloseSquare, start);
            case '{':
                return Make(CssTokenType.OpenCurly, start);
            case '}':
                return Make(CssTokenType.CloseCurly, start);
        }

        if (char.IsAsciiDigit(c))
        {
            _i--;
            return ConsumeNumeric(start);
        }

        if (IsIdentStart(c))
        {
            _i--;
            return ConsumeIdentLike(start);
        }

        return Make(CssTokenType.Delim, start);
    }

    private readonly CssTokenRange Make(CssTokenType type, int start) => new(type, start, _i, _valueStart, _valueEnd, _escaped);

    /// <summary>§4.3.2 "Consume comments": everything from <c>/*</c> to the next <c>*/</c> (or EOF).</summary>
    private void ConsumeComments()
    {
        while (At(0) == '/' && At(1) == '*')
        {
            var end = _s[(_i + 2)..].IndexOf("*/");
            _i = end < 0 ? _s.Length : _i + 2 + end + 2;
        }
    }

    /// <summary>§4.3.3 "Consume a numeric token"; a dimension's value is its unit.</summary>
    private CssTokenRange ConsumeNumeric(int start)
    {
        ConsumeNumber();
        if (StartsIdent(At(0), At(1), At(2)))
        {
            ConsumeIdentSequence();
            return Make(CssTokenType.Dimension, start);
        }

        if (At(0) == '%')
        {
            _i++;
            return Make(CssTokenType.Percentage, start);
        }

        return Make(CssTokenType.Number, start);
    }

    /// <summary>§4.3.12 "Consume a number" (only its extent matters here).</summary>
    private void ConsumeNumber()
    {
        if (At(0) is '+' or '-')
        {
            _i++;
        }

        while (char.IsAsciiDigit(At(0)))
        {
            _i++;
        }

        if (At(0) == '.' && char.IsAsciiDigit(At(1)))
        {
            _i += 2;
            while (char.IsAsciiDigit(At(0)))
            {
                _i++;
            }
        }

        if (At(0) is 'e' or 'E' && (char.IsAsciiDigit(At(1)) || (At(1) is '+' or '-' && char.IsAsciiDigit(At(2)))))
        {
            _i += 2;
            while (char.IsAsciiDigit(At(0)))
            {
                _i++;
            }
        }
    }

    /// <summary>§4.3.4 "Consume an ident-like token": ident, function, or url token.</summary>
    private CssTokenRange ConsumeIdentLike(int start)
    {
        ConsumeIdentSequence();
        if (At(0) == '(' && NameIsUrl())
        {
            _i++;
            // "While the next two input code points are whitespace, consume the next input code point."
            while (IsWhitespace(At(0)) && IsWhitespace(At(1)))
            {
                _i++;
            }

            // A quoted argument makes url( an ordinary function whose argument is a string token.
            if (At(0) is '"' or '\'' || (IsWhitespace(At(0)) && At(1) is '"' or '\''))
            {
                return Make(CssTokenType.Function, start);
            }

            return ConsumeUrl(start);
        }

        if (At(0) == '(')
        {
            _i++;
            return Make(CssTokenType.Function, start);
        }

        return Make(CssTokenType.Ident, start);
    }

    /// <summary>Is the ident sequence just consumed the name <c>url</c> (ASCII case-insensitive, escapes decoded)?</summary>
    private readonly bool NameIsUrl()
    {
        if (_decoding)
        {
            return _out[.._outLength].Equals("url", StringComparison.OrdinalIgnoreCase);
        }

        if (!_escaped)
        {
            return _s[_valueStart.._valueEnd].Equals("url", StringComparison.OrdinalIgnoreCase);
        }

        // Rare: an escaped name such as u\72l. Decode it; a decoded value is never longer than its source.
        var raw = _valueEnd - _valueStart;
        char[]? rented = null;
        Span<char> buffer = raw <= StackBuffer ? stackalloc char[StackBuffer] : (rented = ArrayPool<char>.Shared.Rent(raw));
        var decoder = new CssTokenizer(_s, _valueStart, buffer);
        decoder.ConsumeIdentSequence();
        var isUrl = buffer[..decoder._outLength].Equals("url", StringComparison.OrdinalIgnoreCase);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }

        return isUrl;
    }

    /// <summary>§4.3.11 "Consume an ident sequence"; it is the value of the token being consumed.</summary>
    private void ConsumeIdentSequence()
    {
        _valueStart = _i;
        while (true)
        {
            var c = At(0);
            if (IsIdentCodePoint(c))
            {
                Append(c);
                _i++;
            }
            else if (IsValidEscape(c, At(1)))
            {
                _escaped = true;
                _i++;
                AppendCodePoint(ConsumeEscape());
            }
            else
            {
                _valueEnd = _i;
                return;
            }
        }
    }

    /// <summary>Adds a code unit of the value being decoded (nothing when only the extent is wanted).</summary>
    private void Append(char c)
    {
        if (_decoding)
        {
            _out[_outLength++] = c;
        }
    }

    private void AppendCodePoint(int codePoint)
    {
        if (!_decoding)
        {
            return;
        }

        if (codePoint <= 0xFFFF)
        {
            _out[_outLength++] = (char)codePoint;
        }
        else
        {
            _outLength += new Rune(codePoint).EncodeToUtf16(_out[_outLength..]);
        }
    }

    // §4.2 definitions.
    private static bool IsWhitespace(char c) => c is '\n' or '\t' or ' ';

    private static bool IsIdentStart(char c) => char.IsAsciiLetter(c) || c == '_' || (c >= 0x80 && c != Eof);

    private static bool IsIdentCodePoint(char c) => IsIdentStart(c) || char.IsAsciiDigit(c) || c == '-';

    private static bool IsNonPrintable(char c) => c <= 0x08 || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F;

    /// <summary>§4.3.8 "Check if two code points are a valid escape".</summary>
    private static bool IsValidEscape(char first, char second) => first == '\\' && second != '\n' && second != Eof;

    /// <summary>§4.3.9 "Check if three code points would start an ident sequence".</summary>
    private static bool StartsIdent(char a, char b, char c) => a switch
    {
        '-' => IsIdentStart(b) || b == '-' || IsValidEscape(b, c),
        '\\' => IsValidEscape(a, b),
        _ => IsIdentStart(a),
    };

    /// <summary>§4.3.10 "Check if three code points would start a number".</summary>
    private static bool StartsNumber(char a, char b, char c) => a switch
    {
        '+' or '-' => char.IsAsciiDigit(b) || (b == '.' && char.IsAsciiDigit(c)),
        '.' => char.IsAsciiDigit(b),
        _ => char.IsAsciiDigit(a),
    };
}
