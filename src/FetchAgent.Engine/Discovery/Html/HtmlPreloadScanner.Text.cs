namespace FetchAgent.Engine.Discovery.Html;

internal sealed partial class HtmlPreloadScanner
{
    /// <summary>The tag name whose end tag ends the current raw text, RCDATA or script data (§13.2.5 "appropriate end tag").</summary>
    private byte[] _endName = [];
    private int _endMatched;
    private bool _endMatches;
    private readonly byte[] _doubleEscape = new byte[6];
    private int _doubleEscapeLength;

    /// <summary>The bytes of the current <c>&lt;style&gt;</c>, kept only while one is being read for the rules.</summary>
    private byte[] _text = new byte[1024];
    private int _textLength;
    private bool _keepText;

    private static readonly byte[] ScriptName = "script"u8.ToArray();

    private State EnterRawText(string name, bool keepText = false)
    {
        _endName = System.Text.Encoding.ASCII.GetBytes(name);
        _keepText = keepText;
        _textLength = 0;
        return name == "script" ? State.ScriptData : State.RawText;
    }

    /// <summary>Raw text and RCDATA (§13.2.5.2–3, 12–17: character references do not matter here), plaintext and script data.</summary>
    private bool StepText(byte b)
    {
        switch (_state)
        {
            case State.PlainText:
                return true;

            case State.RawText:
                KeepText(b);
                if (b == '<')
                    _state = State.RawTextLessThan;
                return true;

            case State.RawTextLessThan:
                if (b != '/')
                {
                    _state = State.RawText;
                    return false;
                }

                KeepText(b);
                _state = State.RawTextEndTagOpen;
                return true;

            case State.RawTextEndTagOpen or State.ScriptDataEndTagOpen or State.ScriptDataEscapedEndTagOpen:
                _endMatched = 0;
                _endMatches = true;
                _state = !IsAlpha(b) ? Back(_state)
                    : _state switch
                    {
                        State.RawTextEndTagOpen => State.RawTextEndTagName,
                        State.ScriptDataEndTagOpen => State.ScriptDataEndTagName,
                        _ => State.ScriptDataEscapedEndTagName,
                    };
                return false;

            case State.RawTextEndTagName or State.ScriptDataEndTagName or State.ScriptDataEscapedEndTagName:
                return EndTagName(b);

            case State.ScriptData:
                if (b == '<')
                    _state = State.ScriptDataLessThan;
                return true;

            case State.ScriptDataLessThan:
                _state = b switch
                {
                    (byte)'/' => State.ScriptDataEndTagOpen,
                    (byte)'!' => State.ScriptDataEscapeStart,
                    _ => State.ScriptData,
                };
                return b is (byte)'/' or (byte)'!';

            case State.ScriptDataEscapeStart or State.ScriptDataEscapeStartDash:
                if (b != '-')
                {
                    _state = State.ScriptData;
                    return false;
                }

                _state = _state == State.ScriptDataEscapeStart ? State.ScriptDataEscapeStartDash : State.ScriptDataEscapedDashDash;
                return true;

            case State.ScriptDataEscaped or State.ScriptDataEscapedDash or State.ScriptDataEscapedDashDash:
                if (b == '<')
                    _state = State.ScriptDataEscapedLessThan;
                else if (b == '-')
                    _state = _state == State.ScriptDataEscaped ? State.ScriptDataEscapedDash : State.ScriptDataEscapedDashDash;
                else if (b == '>' && _state == State.ScriptDataEscapedDashDash)
                    _state = State.ScriptData;
                else
                    _state = State.ScriptDataEscaped;
                return true;

            case State.ScriptDataEscapedLessThan:
                if (b == '/')
                {
                    _state = State.ScriptDataEscapedEndTagOpen;
                    return true;
                }

                _doubleEscapeLength = 0;
                _state = IsAlpha(b) ? State.ScriptDataDoubleEscapeStart : State.ScriptDataEscaped;
                return false;

            case State.ScriptDataDoubleEscapeStart or State.ScriptDataDoubleEscapeEnd:
            {
                var starting = _state == State.ScriptDataDoubleEscapeStart;
                if (IsSpace(b) || b == '/' || b == '>')
                {
                    var isScript = _doubleEscapeLength == 6 && _doubleEscape.AsSpan().SequenceEqual(ScriptName);
                    _state = starting
                        ? (isScript ? State.ScriptDataDoubleEscaped : State.ScriptDataEscaped)
                        : (isScript ? State.ScriptDataEscaped : State.ScriptDataDoubleEscaped);
                    return true;
                }

                if (IsAlpha(b))
                {
                    if (_doubleEscapeLength < _doubleEscape.Length)
                        _doubleEscape[_doubleEscapeLength] = Lower(b);
                    _doubleEscapeLength = Math.Min(_doubleEscapeLength + 1, _doubleEscape.Length + 1);
                    return true;
                }

                _state = starting ? State.ScriptDataEscaped : State.ScriptDataDoubleEscaped;
                return false;
            }

            case State.ScriptDataDoubleEscaped or State.ScriptDataDoubleEscapedDash or State.ScriptDataDoubleEscapedDashDash:
                if (b == '<')
                    _state = State.ScriptDataDoubleEscapedLessThan;
                else if (b == '-')
                    _state = _state == State.ScriptDataDoubleEscaped ? State.ScriptDataDoubleEscapedDash : State.ScriptDataDoubleEscapedDashDash;
                else if (b == '>' && _state == State.ScriptDataDoubleEscapedDashDash)
                    _state = State.ScriptData;
                else
                    _state = State.ScriptDataDoubleEscaped;
                return true;

            case State.ScriptDataDoubleEscapedLessThan:
                if (b == '/')
                {
                    _doubleEscapeLength = 0;
                    _state = State.ScriptDataDoubleEscapeEnd;
                    return true;
                }

                _state = State.ScriptDataDoubleEscaped;
                return false;

            default:
                throw new InvalidOperationException($"preload scanner: unknown state {_state}");
        }
    }

    /// <summary>The state an unfinished end tag falls back to: its text is text after all.</summary>
    private static State Back(State state) => state switch
    {
        State.RawTextEndTagOpen or State.RawTextEndTagName => State.RawText,
        State.ScriptDataEndTagOpen or State.ScriptDataEndTagName => State.ScriptData,
        _ => State.ScriptDataEscaped,
    };

    /// <summary>§13.2.5.13 and its script-data twins: only the appropriate end tag leaves the text.</summary>
    private bool EndTagName(byte b)
    {
        if (IsAlpha(b))
        {
            KeepText(b);
            if (_endMatches && _endMatched < _endName.Length && Lower(b) == _endName[_endMatched])
                _endMatched++;
            else
                _endMatches = false;
            return true;
        }

        if ((IsSpace(b) || b == '/' || b == '>') && _endMatches && _endMatched == _endName.Length)
        {
            // "</name" was not text: drop it from the kept text and read the rest as an end tag.
            _textLength = Math.Max(0, _textLength - 2 - _endName.Length);
            _tag.Begin(isEnd: true, _offset - 2 - _endName.Length);
            foreach (var c in _endName)
                _tag.AppendName(c);
            EndTagName();
            if (b == '>')
                return EmitTag();
            _state = b == '/' ? State.SelfClosingStartTag : State.BeforeAttributeName;
            return true;
        }

        _state = Back(_state);
        return false;
    }

    private void KeepText(byte b)
    {
        if (!_keepText)
            return;
        if (_textLength == _text.Length)
            Array.Resize(ref _text, _text.Length * 2);
        _text[_textLength++] = b;
    }
}
