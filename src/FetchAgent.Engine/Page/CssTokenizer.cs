using System.Text;

namespace FetchAgent.Engine.Page;

/// <summary>
/// A tokenizer following CSS Syntax Level 3 §4.3 "Tokenizer Algorithms". It exists so that
/// comments and strings cannot fool discovery: <c>/* url(a.png) */</c> is a comment and
/// <c>"url(b.png)"</c> a string, while <c>url(d\).png)</c> is one url token.
/// </summary>
internal sealed partial class CssTokenizer
{
    private const char Eof = '\uFFFF';
    private readonly string _s;
    private int _i;

    /// <summary>§3.3 "Preprocessing the input stream": CR, FF and CRLF become LF; NUL becomes U+FFFD.</summary>
    public CssTokenizer(string css) =>
        _s = css.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Replace('\f', '\n').Replace('\0', '\uFFFD');

    public string Source => _s;

    public static List<CssToken> Tokenize(string css) => Tokenize(css, out _);

    /// <summary>All tokens but EOF; <paramref name="source"/> is the preprocessed text the offsets index.</summary>
    public static List<CssToken> Tokenize(string css, out string source)
    {
        var tokenizer = new CssTokenizer(css);
        source = tokenizer.Source;
        var tokens = new List<CssToken>();
        for (var t = tokenizer.Next(); t.Type != CssTokenType.Eof; t = tokenizer.Next())
        {
            tokens.Add(t);
        }

        return tokens;
    }

    private char At(int offset) => _i + offset < _s.Length ? _s[_i + offset] : Eof;

    /// <summary>§4.3.1 "Consume a token" (comments are consumed first and produce nothing).</summary>
    public CssToken Next()
    {
        ConsumeComments();
        var start = _i;
        var c = At(0);
        if (c == Eof)
        {
            return new CssToken(CssTokenType.Eof, "", start, start);
        }

        _i++;
        switch (c)
        {
            case '\n' or '\t' or ' ':
                while (At(0) is '\n' or '\t' or ' ')
                {
                    _i++;
                }

                return Make(CssTokenType.Whitespace, " ", start);
            case '"' or '\'':
                return ConsumeString(c, start);
            case '#':
                if (IsIdentCodePoint(At(0)) || IsValidEscape(At(0), At(1)))
                {
                    return Make(CssTokenType.Hash, ConsumeIdentSequence(), start);
                }

                return Make(CssTokenType.Delim, "#", start);
            case '(':
                return Make(CssTokenType.OpenParen, "(", start);
            case ')':
                return Make(CssTokenType.CloseParen, ")", start);
            case '+' or '.':
                if (StartsNumber(c, At(0), At(1)))
                {
                    _i--;
                    return ConsumeNumeric(start);
                }

                return Make(CssTokenType.Delim, c.ToString(), start);
            case ',':
                return Make(CssTokenType.Comma, ",", start);
            case '-':
                if (StartsNumber(c, At(0), At(1)))
                {
                    _i--;
                    return ConsumeNumeric(start);
                }

                if (At(0) == '-' && At(1) == '>')
                {
                    _i += 2;
                    return Make(CssTokenType.Cdc, "-->", start);
                }

                if (StartsIdent(c, At(0), At(1)))
                {
                    _i--;
                    return ConsumeIdentLike(start);
                }

                return Make(CssTokenType.Delim, "-", start);
            case ':':
                return Make(CssTokenType.Colon, ":", start);
            case ';':
                return Make(CssTokenType.Semicolon, ";", start);
            case '<':
                if (At(0) == '!' && At(1) == '-' && At(2) == '-')
                {
                    _i += 3;
                    return Make(CssTokenType.Cdo, "<!--", start);
                }

                return Make(CssTokenType.Delim, "<", start);
            case '@':
                if (StartsIdent(At(0), At(1), At(2)))
                {
                    return Make(CssTokenType.AtKeyword, ConsumeIdentSequence(), start);
                }

                return Make(CssTokenType.Delim, "@", start);
            case '[':
                return Make(CssTokenType.OpenSquare, "[", start);
            case '\\':
                if (IsValidEscape(c, At(0)))
                {
                    _i--;
                    return ConsumeIdentLike(start);
                }

                return Make(CssTokenType.Delim, "\\", start);
            case ']':
                return Make(CssTokenType.CloseSquare, "]", start);
            case '{':
                return Make(CssTokenType.OpenCurly, "{", start);
            case '}':
                return Make(CssTokenType.CloseCurly, "}", start);
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

        return Make(CssTokenType.Delim, c.ToString(), start);
    }

    private CssToken Make(CssTokenType type, string value, int start) => new(type, value, start, _i);

    /// <summary>§4.3.2 "Consume comments": everything from <c>/*</c> to the next <c>*/</c> (or EOF).</summary>
    private void ConsumeComments()
    {
        while (At(0) == '/' && At(1) == '*')
        {
            var end = _s.IndexOf("*/", _i + 2, StringComparison.Ordinal);
            _i = end < 0 ? _s.Length : end + 2;
        }
    }

    /// <summary>§4.3.3 "Consume a numeric token".</summary>
    private CssToken ConsumeNumeric(int start)
    {
        ConsumeNumber();
        if (StartsIdent(At(0), At(1), At(2)))
        {
            return Make(CssTokenType.Dimension, ConsumeIdentSequence(), start);
        }

        if (At(0) == '%')
        {
            _i++;
            return Make(CssTokenType.Percentage, "%", start);
        }

        return Make(CssTokenType.Number, "", start);
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
    private CssToken ConsumeIdentLike(int start)
    {
        var name = ConsumeIdentSequence();
        if (name.Equals("url", StringComparison.OrdinalIgnoreCase) && At(0) == '(')
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
                return Make(CssTokenType.Function, name, start);
            }

            return ConsumeUrl(start);
        }

        if (At(0) == '(')
        {
            _i++;
            return Make(CssTokenType.Function, name, start);
        }

        return Make(CssTokenType.Ident, name, start);
    }

    /// <summary>§4.3.11 "Consume an ident sequence".</summary>
    private string ConsumeIdentSequence()
    {
        var sb = new StringBuilder();
        while (true)
        {
            var c = At(0);
            if (IsIdentCodePoint(c))
            {
                sb.Append(c);
                _i++;
            }
            else if (IsValidEscape(c, At(1)))
            {
                _i++;
                sb.Append(ConsumeEscape());
            }
            else
            {
                return sb.ToString();
            }
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
