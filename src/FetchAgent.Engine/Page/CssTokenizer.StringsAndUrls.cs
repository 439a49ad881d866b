using System.Text;

namespace FetchAgent.Engine.Page;

/// <summary>The parts of the tokenizer that decode text: strings, unquoted url tokens and escapes.</summary>
internal sealed partial class CssTokenizer
{
    /// <summary>§4.3.5 "Consume a string token".</summary>
    private CssToken ConsumeString(char ending, int start)
    {
        var sb = new StringBuilder();
        while (true)
        {
            var c = At(0);
            if (c == Eof)
            {
                return Make(CssTokenType.String, sb.ToString(), start); // parse error, but the string stands
            }

            _i++;
            if (c == ending)
            {
                return Make(CssTokenType.String, sb.ToString(), start);
            }

            if (c == '\n')
            {
                _i--; // not consumed: it becomes whitespace
                return Make(CssTokenType.BadString, sb.ToString(), start);
            }

            if (c == '\\')
            {
                if (At(0) == Eof)
                {
                    continue;
                }

                if (At(0) == '\n')
                {
                    _i++; // an escaped newline continues the string
                    continue;
                }

                sb.Append(ConsumeEscape());
                continue;
            }

            sb.Append(c);
        }
    }

    /// <summary>§4.3.6 "Consume a url token" (the unquoted form).</summary>
    private CssToken ConsumeUrl(int start)
    {
        var sb = new StringBuilder();
        while (IsWhitespace(At(0)))
        {
            _i++;
        }

        while (true)
        {
            var c = At(0);
            if (c == Eof)
            {
                return Make(CssTokenType.Url, sb.ToString(), start);
            }

            _i++;
            if (c == ')')
            {
                return Make(CssTokenType.Url, sb.ToString(), start);
            }

            if (IsWhitespace(c))
            {
                while (IsWhitespace(At(0)))
                {
                    _i++;
                }

                if (At(0) == ')')
                {
                    _i++;
                    return Make(CssTokenType.Url, sb.ToString(), start);
                }

                if (At(0) == Eof)
                {
                    return Make(CssTokenType.Url, sb.ToString(), start);
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
                    sb.Append(ConsumeEscape());
                    continue;
                }

                return ConsumeBadUrlRemnants(start);
            }

            sb.Append(c);
        }
    }

    /// <summary>§4.3.14 "Consume the remnants of a bad url".</summary>
    private CssToken ConsumeBadUrlRemnants(int start)
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

        return Make(CssTokenType.BadUrl, "", start);
    }

    /// <summary>§4.3.7 "Consume an escaped code point" (the backslash is already consumed).</summary>
    private string ConsumeEscape()
    {
        var c = At(0);
        if (c == Eof)
        {
            return "\uFFFD";
        }

        _i++;
        if (char.IsAsciiHexDigit(c))
        {
            var hex = new StringBuilder().Append(c);
            while (hex.Length < 6 && char.IsAsciiHexDigit(At(0)))
            {
                hex.Append(At(0));
                _i++;
            }

            if (IsWhitespace(At(0)))
            {
                _i++;
            }

            var value = Convert.ToInt32(hex.ToString(), 16);
            if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
            {
                return "\uFFFD";
            }

            return char.ConvertFromUtf32(value);
        }

        return c.ToString();
    }
}
