using System.Buffers;
using System.Text;

namespace FetchAgent.Engine.Discovery.Css;

/// <summary>The parts of the tokenizer that decode text: strings, unquoted url tokens, escapes, and token values.</summary>
internal ref partial struct CssTokenizer
{
    /// <summary>Buffers up to this many chars are on the stack; longer tokens with escapes rent one.</summary>
    private const int StackBuffer = 256;

    /// <summary>
    /// The token's value as a string, as the tokenizer of §4.3 defines it: the decoded name or string for ident,
    /// function, at-keyword, hash, string, url and dimension (its unit); the code point for a delim; the token's
    /// own text for punctuation. Allocates, so discovery asks only for the values it keeps (a URL).
    /// </summary>
    public readonly string Value(in CssTokenRange t) => t.Type switch
    {
        CssTokenType.Ident or CssTokenType.Function or CssTokenType.AtKeyword or CssTokenType.Hash or CssTokenType.Dimension
            or CssTokenType.String or CssTokenType.BadString or CssTokenType.Url => DecodedValue(t),
        CssTokenType.Delim => _s[t.Start] switch
        {
            '#' => "#",
            '-' => "-",
            '+' => "+",
            '.' => ".",
            '<' => "<",
            '>' => ">",
            '=' => "=",
            '/' => "/",
            '@' => "@",
            '\\' => "\\",
            var c => c.ToString(),
        },
        CssTokenType.Whitespace => " ",
        CssTokenType.Percentage => "%",
        CssTokenType.Cdo => "<!--",
        CssTokenType.Cdc => "-->",
        CssTokenType.Colon => ":",
        CssTokenType.Semicolon => ";",
        CssTokenType.Comma => ",",
        CssTokenType.OpenSquare => "[",
        CssTokenType.CloseSquare => "]",
        CssTokenType.OpenParen => "(",
        CssTokenType.CloseParen => ")",
        CssTokenType.OpenCurly => "{",
        CssTokenType.CloseCurly => "}",
        _ => "", // number, bad url, EOF
    };

    /// <summary>Is the token's value <paramref name="expected"/>, compared as <see cref="StringComparison.OrdinalIgnoreCase"/>?</summary>
    public readonly bool ValueEquals(in CssTokenRange t, string expected) => ValueMatches(t, expected, lowered: false);

    /// <summary>
    /// Is <c>value.ToLowerInvariant()</c> equal to <paramref name="lowercase"/>? (How at-keyword and function
    /// names have always been compared here; it differs from <see cref="ValueEquals"/> only for a few non-ASCII
    /// letters, such as the Kelvin sign, and is kept so that no stylesheet is read differently.)
    /// </summary>
    public readonly bool ValueEqualsLowered(in CssTokenRange t, string lowercase) => ValueMatches(t, lowercase, lowered: true);

    private readonly bool ValueMatches(in CssTokenRange t, string expected, bool lowered)
    {
        if (!t.Escaped)
        {
            return Matches(_s[t.ValueStart..t.ValueEnd], expected, lowered);
        }

        var raw = t.End - t.Start;
        char[]? rented = null;
        Span<char> buffer = raw <= StackBuffer ? stackalloc char[StackBuffer] : (rented = ArrayPool<char>.Shared.Rent(raw));
        var matches = Matches(buffer[..Decode(t.Start, buffer)], expected, lowered);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }

        return matches;
    }

    private static bool Matches(ReadOnlySpan<char> value, string expected, bool lowered)
    {
        if (!lowered)
        {
            return value.Equals(expected, StringComparison.OrdinalIgnoreCase);
        }

        if (value.Length != expected.Length)
        {
            return false; // ToLowerInvariant never changes a string's length
        }

        for (var k = 0; k < value.Length; k++)
        {
            if (char.ToLowerInvariant(value[k]) != expected[k])
            {
                return false;
            }
        }

        return true;
    }

    private readonly string DecodedValue(in CssTokenRange t)
    {
        if (!t.Escaped)
        {
            return new string(_s[t.ValueStart..t.ValueEnd]);
        }

        var raw = t.End - t.Start;
        char[]? rented = null;
        Span<char> buffer = raw <= StackBuffer ? stackalloc char[StackBuffer] : (rented = ArrayPool<char>.Shared.Rent(raw));
        var value = new string(buffer[..Decode(t.Start, buffer)]);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }

        return value;
    }

    /// <summary>
    /// Consumes the token at <paramref name="start"/> again in decoding mode, writing its value to <paramref name="buffer"/>;
    /// returns the value's length. Every escape decodes to no more code units than it is written with, so a buffer as
    /// long as the token is enough.
    /// </summary>
    private readonly int Decode(int start, Span<char> buffer)
    {
        var decoder = new CssTokenizer(_s, start, buffer);
        decoder.Next();
        return decoder._outLength;
    }

    /// <summary>§4.3.5 "Consume a string token".</summary>
    private CssTokenRange ConsumeString(char ending, int start)
    {
        _valueStart = _i;
        while (true)
        {
            var c = At(0);
            if (c == Eof)
            {
                _valueEnd = _i;
                return Make(CssTokenType.String, start); // parse error, but the string stands
            }

            _i++;
            if (c == ending)
            {
                _valueEnd = _i - 1;
                return Make(CssTokenType.String, start);
            }

            if (c == '\n')
            {
                _i--; // not consumed: it becomes whitespace
                _valueEnd = _i;
                return Make(CssTokenType.BadString, start);
            }

            if (c == '\\')
            {
                _escaped = true;
                if (At(0) == Eof)
                {
                    continue;
                }

                if (At(0) == '\n')
                {
                    _i++; // an escaped newline continues the string
                    continue;
                }

                AppendCodePoint(ConsumeEscape());
                continue;
            }

            Append(c);
        }
    }

    /// <summary>§4.3.6 "Consume a url token" (the unquoted form).</summary>
    private CssTokenRange ConsumeUrl(int start)
    {
        // The value starts afresh: what came before was the name "url".
        _outLength = 0;
        _escaped = false;
        while (IsWhitespace(At(0)))
        {
            _i++;
        }

        _valueStart = _i;
        while (true)
        {
            var c = At(0);
            if (c == Eof)
            {
                _valueEnd = _i;
                return Make(CssTokenType.Url, start);
            }

            _i++;
            if (c == ')')
            {
                _valueEnd = _i - 1;
                return Make(CssTokenType.Url, start);
            }

            if (IsWhitespace(c))
            {
                _valueEnd = _i - 1;
                while (IsWhitespace(At(0)))
                {
                    _i++;
                }

                if (At(0) == ')')
                {
                    _i++;
                    return Make(CssTokenType.Url, start);
                }

                if (At(0) == Eof)
                {
                    return Make(CssTokenType.Url, start);
                }

                return ConsumeBadUrlRemnants(start);
            }

            if (c is '"' or '\'' or '(' || IsNonPrintable(c))
            {
                return ConsumeBadUrlRemnants(start);
            }

            if (c == '\\')
            {
                if (IsValidEscape(c, At(0)))
                {
                    _escaped = true;
                    AppendCodePoint(ConsumeEscape());
                    continue;
                }

                return ConsumeBadUrlRemnants(start);
            }

            Append(c);
        }
    }

    /// <summary>§4.3.14 "Consume the remnants of a bad url". A bad url has no value.</summary>
    private CssTokenRange ConsumeBadUrlRemnants(int start)
    {
        while (true)
        {
            var c = At(0);
            if (c == Eof)
            {
                break;
            }

            _i++;
            if (c == ')')
            {
                break;
            }

            if (IsValidEscape(c, At(0)))
            {
                ConsumeEscape();
            }
        }

        _valueStart = _valueEnd = start;
        _escaped = false;
        _outLength = 0;
        return Make(CssTokenType.BadUrl, start);
    }

    /// <summary>§4.3.7 "Consume an escaped code point" (the backslash is already consumed); returns it.</summary>
    private int ConsumeEscape()
    {
        var c = At(0);
        if (c == Eof)
        {
            return 0xFFFD;
        }

        _i++;
        if (char.IsAsciiHexDigit(c))
        {
            var value = HexValue(c);
            for (var digits = 1; digits < 6 && char.IsAsciiHexDigit(At(0)); digits++)
            {
                value = (value * 16) + HexValue(At(0));
                _i++;
            }

            if (IsWhitespace(At(0)))
            {
                _i++;
            }

            if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
            {
                return 0xFFFD;
            }

            return value;
        }

        return c; // any other code unit stands for itself, a lone surrogate included
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
