namespace FetchAgent.Engine.Discovery.Html;

/// <summary>
/// A browser-style preload scanner: reads an HTML document's bytes as they arrive and finds the references
/// the discovery rules would find, so they can be requested before the document ends. It tokenizes per
/// HTML §13.2.5 where that decides what is markup — comments, bogus comments, doctype, CDATA in foreign
/// content, raw text (style, xmp, iframe, noembed, noframes, noscript with scripting on), RCDATA (title,
/// textarea), script data with its escapes, plaintext, quoted and unquoted attributes — and follows just
/// enough of tree construction (§13.2.6) to know head from body, template contents, SVG/MathML, select and
/// frameset. Where it cannot be sure it finds nothing: the full parse at the end completes the list.
/// </summary>
/// <remarks>
/// It works on bytes, not characters: every byte that shapes markup is ASCII, and in every ASCII-compatible
/// encoding (UTF-8, windows-125x, Shift_JIS, GBK, Big5, EUC-*) such a byte is that character. Attribute values
/// are decoded only for the elements the rules read. Split by concern: this file the tokenizer's markup states,
/// HtmlPreloadScanner.Text.cs raw text and script data, HtmlPreloadScanner.Elements.cs what tags mean.
/// </remarks>
internal sealed partial class HtmlPreloadScanner
{
    private readonly HtmlPreloadTag _tag = new();
    private readonly byte[] _markup = new byte[7];
    private State _state = State.Data;
    private int _markupLength;
    private long _offset;

    private enum State
    {
        Data, TagOpen, EndTagOpen, TagName, BeforeAttributeName, AttributeName, AfterAttributeName, BeforeAttributeValue,
        AttributeValueDoubleQuoted, AttributeValueSingleQuoted, AttributeValueUnquoted, AfterAttributeValueQuoted,
        SelfClosingStartTag, MarkupDeclarationOpen, BogusComment,
        CommentStart, CommentStartDash, Comment, CommentLessThan, CommentLessThanBang, CommentLessThanBangDash,
        CommentLessThanBangDashDash, CommentEndDash, CommentEnd, CommentEndBang,
        CData, CDataBracket, CDataEnd,
        RawText, RawTextLessThan, RawTextEndTagOpen, RawTextEndTagName, PlainText,
        ScriptData, ScriptDataLessThan, ScriptDataEndTagOpen, ScriptDataEndTagName, ScriptDataEscapeStart,
        ScriptDataEscapeStartDash, ScriptDataEscaped, ScriptDataEscapedDash, ScriptDataEscapedDashDash,
        ScriptDataEscapedLessThan, ScriptDataEscapedEndTagOpen, ScriptDataEscapedEndTagName, ScriptDataDoubleEscapeStart,
        ScriptDataDoubleEscaped, ScriptDataDoubleEscapedDash, ScriptDataDoubleEscapedDashDash,
        ScriptDataDoubleEscapedLessThan, ScriptDataDoubleEscapeEnd,
    }

    /// <summary>Scans the next decoded bytes of the document; any split across calls resumes where it stopped.</summary>
    public void Feed(ReadOnlySpan<byte> data)
    {
        var i = 0;
        while (i < data.Length && !_stopped)
        {
            if (Step(data[i]))
            {
                i++;
                _offset++;
            }
        }
    }

    /// <summary>One byte through the tokenizer; false means "reconsume it in the new state" (§13.2.5).</summary>
    private bool Step(byte b)
    {
        switch (_state)
        {
            case State.Data:
                if (b == '<')
                    _state = State.TagOpen;
                else if (!IsSpace(b))
                    OnText();
                return true;

            // §13.2.5.6 tag open state
            case State.TagOpen:
                if (b == '!')
                {
                    _markupLength = 0;
                    _state = State.MarkupDeclarationOpen;
                    return true;
                }

                if (b == '/')
                {
                    _state = State.EndTagOpen;
                    return true;
                }

                if (IsAlpha(b))
                {
                    _tag.Begin(isEnd: false, _offset - 1);
                    _state = State.TagName;
                    return false;
                }

                _state = b == '?' ? State.BogusComment : State.Data;
                if (b == '?')
                    return true;
                OnText(); // the "<" was text
                return false;

            case State.EndTagOpen:
                if (IsAlpha(b))
                {
                    _tag.Begin(isEnd: true, _offset - 2);
                    _state = State.TagName;
                    return false;
                }

                _state = b == '>' ? State.Data : State.BogusComment;
                return b == '>';

            case State.TagName:
                if (IsSpace(b) || b == '/' || b == '>')
                {
                    EndTagName();
                    if (b == '>')
                        return EmitTag();
                    _state = b == '/' ? State.SelfClosingStartTag : State.BeforeAttributeName;
                    return true;
                }

                _tag.AppendName(b);
                return true;

            case State.BeforeAttributeName:
                if (IsSpace(b))
                    return true;
                if (b == '/' || b == '>')
                {
                    _state = State.AfterAttributeName;
                    return false;
                }

                _tag.BeginAttribute();
                _state = State.AttributeName;
                if (b != '=')
                    return false;
                _tag.AppendAttributeName(b); // §13.2.5.32: a leading "=" is part of the name
                return true;

            case State.AttributeName:
                if (IsSpace(b) || b == '/' || b == '>')
                {
                    _tag.EndAttributeName();
                    _state = State.AfterAttributeName;
                    return false;
                }

                if (b == '=')
                {
                    _tag.EndAttributeName();
                    _state = State.BeforeAttributeValue;
                    return true;
                }

                _tag.AppendAttributeName(b);
                return true;

            case State.AfterAttributeName:
                if (IsSpace(b))
                    return true;
                if (b == '/')
                {
                    _state = State.SelfClosingStartTag;
                    return true;
                }

                if (b == '=')
                {
                    _state = State.BeforeAttributeValue;
                    return true;
                }

                if (b == '>')
                    return EmitTag();
                _tag.BeginAttribute();
                _state = State.AttributeName;
                return false;

            case State.BeforeAttributeValue:
                if (IsSpace(b))
                    return true;
                if (b == '>')
                    return EmitTag();
                _state = b switch
                {
                    (byte)'"' => State.AttributeValueDoubleQuoted,
                    (byte)'\'' => State.AttributeValueSingleQuoted,
                    _ => State.AttributeValueUnquoted,
                };
                return b is (byte)'"' or (byte)'\'';

            case State.AttributeValueDoubleQuoted or State.AttributeValueSingleQuoted:
                if (b == (_state == State.AttributeValueDoubleQuoted ? '"' : '\''))
                    _state = State.AfterAttributeValueQuoted;
                else
                    _tag.AppendValue(b);
                return true;

            case State.AttributeValueUnquoted:
                if (IsSpace(b))
                    _state = State.BeforeAttributeName;
                else if (b == '>')
                    return EmitTag();
                else
                    _tag.AppendValue(b);
                return true;

            case State.AfterAttributeValueQuoted:
                if (b == '>')
                    return EmitTag();
                _state = b == '/' ? State.SelfClosingStartTag : State.BeforeAttributeName;
                return IsSpace(b) || b == '/';

            case State.SelfClosingStartTag:
                if (b == '>')
                {
                    _tag.SelfClosing = true;
                    return EmitTag();
                }

                _state = State.BeforeAttributeName;
                return false;

            case State.MarkupDeclarationOpen:
                return MarkupDeclaration(b);

            case State.BogusComment:
                if (b == '>')
                    _state = State.Data;
                return true;

            default:
                return StepComment(b) ?? StepText(b);
        }
    }

    /// <summary>§13.2.5.42: "--" opens a comment, DOCTYPE and anything else are bogus comments up to "&gt;", "[CDATA[" is CDATA in foreign content.</summary>
    private bool MarkupDeclaration(byte b)
    {
        _markup[_markupLength++] = b;
        var seen = _markup.AsSpan(0, _markupLength);
        if ("--"u8.StartsWith(seen))
        {
            if (_markupLength == 2)
                _state = State.CommentStart;
            return true;
        }

        if (_markupLength <= 7 && IsPrefixIgnoreCase(seen, "doctype"u8))
        {
            if (_markupLength == 7)
                _state = State.BogusComment;
            return true;
        }

        if ("[CDATA["u8.StartsWith(seen))
        {
            if (_markupLength == 7)
                _state = InForeignContent ? State.CData : State.BogusComment;
            return true;
        }

        // Anything else is a bogus comment from here; none of the prefixes above holds a ">".
        _state = b == '>' ? State.Data : State.BogusComment;
        return true;
    }

    /// <summary>§13.2.5.43–52 the comment states; null when the state is not a comment or CDATA state.</summary>
    private bool? StepComment(byte b)
    {
        switch (_state)
        {
            case State.CommentStart or State.CommentStartDash:
                if (b == '-')
                {
                    _state = _state == State.CommentStart ? State.CommentStartDash : State.CommentEnd;
                    return true;
                }

                if (b == '>')
                {
                    _state = State.Data; // "<!-->" and "<!--->" end at once
                    return true;
                }

                _state = State.Comment;
                return false;

            case State.Comment:
                if (b == '<')
                    _state = State.CommentLessThan;
                else if (b == '-')
                    _state = State.CommentEndDash;
                return true;

            case State.CommentLessThan:
                if (b == '!')
                    _state = State.CommentLessThanBang;
                else if (b != '<')
                    _state = State.Comment;
                return b is (byte)'!' or (byte)'<';

            case State.CommentLessThanBang:
                _state = b == '-' ? State.CommentLessThanBangDash : State.Comment;
                return b == '-';

            case State.CommentLessThanBangDash:
                _state = b == '-' ? State.CommentLessThanBangDashDash : State.CommentEndDash;
                return b == '-';

            case State.CommentLessThanBangDashDash:
                _state = State.CommentEnd; // a nested "<!--" only closes like "--" would
                return false;

            case State.CommentEndDash:
                _state = b == '-' ? State.CommentEnd : State.Comment;
                return b == '-';

            case State.CommentEnd:
                if (b == '>')
                    _state = State.Data;
                else if (b == '!')
                    _state = State.CommentEndBang;
                else if (b != '-')
                {
                    _state = State.Comment;
                    return false;
                }

                return true;

            case State.CommentEndBang:
                if (b == '-')
                    _state = State.CommentEndDash;
                else if (b == '>')
                    _state = State.Data;
                else
                {
                    _state = State.Comment;
                    return false;
                }

                return true;

            // §13.2.5.69–71 CDATA section (foreign content only): ends at "]]>".
            case State.CData:
                if (b == ']')
                    _state = State.CDataBracket;
                return true;

            case State.CDataBracket:
                _state = b == ']' ? State.CDataEnd : State.CData;
                return b == ']';

            case State.CDataEnd:
                if (b == '>')
                    _state = State.Data;
                else if (b != ']')
                {
                    _state = State.CData;
                    return false;
                }

                return true;

            default:
                return null;
        }
    }

    private void EndTagName()
    {
        _tag.EndName();
        _tag.Wanted = WantedAttributes(_tag.Name);
    }

    /// <summary>Hands the finished tag to tree construction; a start tag may switch the tokenizer to raw text.</summary>
    private bool EmitTag()
    {
        if (_tag.IsEnd)
        {
            _state = State.Data;
            OnEndTag();
        }
        else
        {
            _state = OnStartTag();
        }

        return true;
    }

    /// <summary>§13.2.5: ASCII whitespace, with CR counted too (input preprocessing makes it LF).</summary>
    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\f' or (byte)'\r';

    private static bool IsAlpha(byte b) => (uint)((b | 0x20) - 'a') <= 'z' - 'a';

    private static byte Lower(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + 0x20) : b;

    private static bool IsPrefixIgnoreCase(ReadOnlySpan<byte> seen, ReadOnlySpan<byte> lowerWord)
    {
        if (seen.Length > lowerWord.Length)
            return false;
        for (var i = 0; i < seen.Length; i++)
        {
            if (Lower(seen[i]) != lowerWord[i])
                return false;
        }

        return true;
    }
}
