using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using FetchAgent.Engine.Discovery.Css;
using static FetchAgent.Engine.Discovery.Html.PreloadAttribute;

namespace FetchAgent.Engine.Discovery.Html;

/// <summary>
/// What the tags mean: just enough of HTML §13.2.6 tree construction to apply the same element rules the full
/// parse applies (<see cref="HtmlLinkAndScriptRules"/>, <see cref="HtmlMediaRules"/>), to elements built from the
/// scanned attributes in a scratch document — in its head or body as the real tree would place them.
/// </summary>
internal sealed partial class HtmlPreloadScanner
{
    /// <summary>HTML §13.2.3.2: a meta charset counts only in the first 1024 bytes.</summary>
    private const int MetaCharsetWindow = 1024;

    private readonly Uri _documentUrl;
    private readonly IHtmlDocument _scratch;
    private readonly Dictionary<string, (bool Render, bool Parser)> _emitted = new(StringComparer.Ordinal);
    private Encoding _encoding;
    private bool _encodingCertain;
    private Uri _baseUrl;
    private bool _baseSeen;
    private bool _stopped;
    private bool _bodyStarted;
    private bool _frameset;
    private bool _inSelect;
    private int _templateDepth;
    private int _foreignDepth;
    private string? _foreignRoot;
    private IElement? _style;
    private IElement? _picture;
    private bool _pictureUnsure;
    private bool _pictureNested;
    private IElement? _media;
    private bool _mediaUnsure;
    private bool _mediaNested;

    /// <param name="documentUrl">The document's URL (the base until a &lt;base href&gt;).</param>
    /// <param name="encoding">The document's encoding if known (BOM or Content-Type), else null: UTF-8 until a meta says otherwise.</param>
    public HtmlPreloadScanner(Uri documentUrl, Encoding? encoding)
    {
        _documentUrl = _baseUrl = documentUrl;
        _encoding = encoding ?? CharsetLabels.Utf8;
        _encodingCertain = encoding is not null;
        _scratch = new HtmlParser().ParseDocument("");
        if (!IsAsciiCompatible(_encoding))
            _stopped = true;
    }

    /// <summary>References found since the last <see cref="TakeFound"/>: new ones, and earlier ones whose blocking flags grew.</summary>
    public List<DiscoveredResource> Found { get; } = [];

    /// <summary>
    /// True once the scanner has read up to where tree construction inserts the body (§13.2.6.4.6): a <c>&lt;body&gt;</c>
    /// start tag, or the first element or text that is not the head's. Template contents and a frameset insert none.
    /// </summary>
    public bool BodyStarted => _bodyStarted;

    /// <summary>
    /// References the parser must see end before it can insert the body, in document order, since the last time the
    /// caller cleared the list: each parser-blocking script before the body (its fetch; running it is not modelled),
    /// and the render-blocking stylesheets before such a script or an inline classic script, which waits for pending
    /// script-blocking style sheets (§4.2.4, "has no style sheet that is blocking scripts").
    /// </summary>
    public List<Uri> BodyWaitsFor { get; } = [];

    /// <summary>Render-blocking sheets found before the body and not yet before a script.</summary>
    private readonly List<Uri> _sheetsBeforeScript = [];

    /// <summary>What a reference found before the body means for the body's insertion (see <see cref="BodyWaitsFor"/>).</summary>
    private void BeforeBody(DiscoveredResource found)
    {
        if (found.Kind == Model.ResourceKind.Stylesheet && found.RenderBlocking)
        {
            _sheetsBeforeScript.Add(found.Url);
        }
        else if (found.Kind == Model.ResourceKind.Script && found.ParserBlocking)
        {
            ScriptBeforeBody();
            BodyWaitsFor.Add(found.Url);
        }
    }

    private void ScriptBeforeBody()
    {
        BodyWaitsFor.AddRange(_sheetsBeforeScript);
        _sheetsBeforeScript.Clear();
    }

    /// <summary>
    /// §4.12.1.1: an inline classic script (no <c>src</c>; classic by the same rule as a fetched one) runs once the sheets
    /// before it are in. A script whose attributes cannot be read yet (<paramref name="script"/> null) counts as one.
    /// </summary>
    private void InlineScript(IElement? script)
    {
        if (_bodyStarted || _tag.Has(Src))
            return;
        if (script is null || HtmlLinkAndScriptRules.TypeOf(script) == HtmlLinkAndScriptRules.ScriptType.Classic)
            ScriptBeforeBody();
    }

    /// <summary>True once the scanner gave up (an encoding it cannot scan, a frameset after the body…): the full parse does the rest.</summary>
    public bool Stopped => _stopped;

    private bool InForeignContent => _foreignDepth > 0;

    /// <summary>The rules apply: not inside template contents (inert, §4.12.3) or SVG/MathML, and nothing made us stop.</summary>
    private bool Applying => !_stopped && _templateDepth == 0 && _foreignDepth == 0 && !_frameset;

    private void OnText()
    {
        // §13.2.6.4.4–6: a character that is not whitespace ends the head (template contents aside).
        if (!_bodyStarted && _templateDepth == 0 && !_frameset)
            _bodyStarted = true;
    }

    private State OnStartTag()
    {
        var name = _tag.Name;
        if (_frameset)
        {
            // §13.2.6.4.20 "in frameset": only frames (and noframes' raw text) count; everything else is ignored.
            if (name == "frame" && !_stopped && _templateDepth == 0)
                Apply("frame", HtmlMediaRules.Frame);
            return name == "noframes" ? EnterRawText(name) : State.Data;
        }

        if (InForeignContent)
        {
            if (!HtmlPreloadNames.BreaksOutOfForeignContent(name) && !(name == "font" && (_tag.Has(Color) || _tag.Has(Face) || _tag.Has(Size))))
            {
                if (name == _foreignRoot && !_tag.SelfClosing)
                    _foreignDepth++;
                return State.Data; // §13.2.6.5: no raw text switching in foreign content
            }

            _foreignDepth = 0;
            _foreignRoot = null;
        }

        if (_inSelect)
        {
            // §13.2.6.4.16 "in select": other start tags are ignored; these close the select first.
            if (name is "select")
            {
                _inSelect = false;
                return State.Data;
            }

            if (name is "input" or "keygen" or "textarea")
                _inSelect = false;
            else if (name is not ("script" or "template"))
                return State.Data;
        }

        if (_templateDepth == 0)
            TrackHead(name);
        if (_stopped)
            return State.Data;
        TrackChildren(name);
        if (Applying)
            Element(name);

        return name switch
        {
            "template" => EnterTemplate(),
            "svg" or "math" when !_tag.SelfClosing => EnterForeign(name),
            "select" => EnterSelect(),
            "script" => EnterRawText(name),
            "style" => EnterRawText(name, keepText: _style is not null),
            "xmp" or "iframe" or "noembed" or "noframes" or "noscript" or "textarea" or "title" => EnterRawText(name),
            "plaintext" => State.PlainText,
            _ => State.Data,
        };
    }

    private State EnterTemplate()
    {
        _templateDepth++;
        return State.Data;
    }

    private State EnterForeign(string name)
    {
        _foreignDepth = 1;
        _foreignRoot = name;
        return State.Data;
    }

    private State EnterSelect()
    {
        _inSelect = _templateDepth == 0;
        return State.Data;
    }

    /// <summary>§13.2.6.4.2–6: head elements (even right after &lt;/head&gt;) stay in the head; anything else starts the body.</summary>
    private void TrackHead(string? name)
    {
        if (name == "frameset")
        {
            if (_bodyStarted)
                _stopped = true; // a frameset replacing a started body: leave it to the full parse
            else
                _frameset = true;
            return;
        }

        if (!_bodyStarted && !HtmlPreloadNames.BelongsInHead(name))
            _bodyStarted = true;
    }

    /// <summary>Children of the open picture or video/audio, which their rules read; anything nested makes them uncertain.</summary>
    private void TrackChildren(string? name)
    {
        if (_picture is not null && name is not ("source" or "img" or "image") && !HtmlPreloadNames.IsVoid(name))
            _pictureNested = true;
        if (_media is not null)
        {
            if (name is "video" or "audio")
                _mediaUnsure = true;
            else if (name is "source" or "track")
                _mediaUnsure |= _mediaNested;
            else if (!HtmlPreloadNames.IsVoid(name))
                _mediaNested = true;
        }
    }

    private void Element(string? name)
    {
        switch (name)
        {
            case "link":
                Apply(name, HtmlLinkAndScriptRules.Link);
                break;
            case "script":
                var script = Build(name);
                if (script is not null)
                    Run(script, HtmlLinkAndScriptRules.Script, Parent());
                InlineScript(script);
                break;
            case "style":
                _style = Build(name);
                break;
            case "img" or "image":
                Img();
                break;
            case "picture":
                _picture = _scratch.CreateElement("picture");
                _pictureUnsure = _pictureNested = false;
                break;
            case "source" or "track":
                Child(name);
                break;
            case "video" or "audio":
                _media = Build(name);
                _mediaUnsure = _media is null;
                _mediaNested = false;
                break;
            case "iframe":
                Apply(name, HtmlMediaRules.Frame);
                break;
            case "input":
                Apply(name, HtmlMediaRules.Input);
                break;
            case "object":
                Apply(name, HtmlMediaRules.ObjectElement);
                break;
            case "embed":
                Apply(name, HtmlMediaRules.Embed);
                break;
            case "base":
                Base();
                break;
            case "meta":
                Meta();
                break;
        }

        // Every element's style attribute is a declaration list (the full parse reads it for any element).
        if (_tag.Has(Style) && Text(_tag.Value(Style), attribute: true) is { } declarations)
        {
            var context = Context();
            context.Found.AddRange(CssDiscovery.Discover(declarations, context.BaseUrl, sheetAppliesToScreen: false, declarationList: true));
            Emit(context);
        }
    }

    private void OnEndTag()
    {
        var name = _tag.Name;
        if (_frameset)
            return;
        if (InForeignContent)
        {
            // §13.2.6.5: </br> and </p> leave foreign content; the root's own end tag closes it.
            if (name is "br" or "p" || (name == _foreignRoot && --_foreignDepth == 0))
            {
                _foreignDepth = 0;
                _foreignRoot = null;
            }

            return;
        }

        switch (name)
        {
            case "template" when _templateDepth > 0:
                _templateDepth--;
                return;
            case "select":
                _inSelect = false;
                break;
            case "style" when _style is not null:
                StyleEnded();
                break;
            case "picture":
                _picture = null;
                break;
            case "video" or "audio" when _media?.LocalName == name:
                MediaEnded();
                break;
            case "body" or "html" or "br" when _templateDepth == 0:
                _bodyStarted = true;
                break;
        }
    }

    private void StyleEnded()
    {
        var style = _style!;
        _style = null;
        if (Applying && Text(_text.AsSpan(0, _textLength), attribute: false) is { } css)
        {
            style.TextContent = css;
            Run(style, HtmlLinkAndScriptRules.Style, Parent());
        }
    }

    private void Img()
    {
        if (_picture is null)
        {
            Apply("img", HtmlMediaRules.Img);
            return;
        }

        // An img inside another element of the picture is not the picture's: the full parse decides it.
        if (_pictureNested || _pictureUnsure || Build("img") is not { } img)
        {
            _pictureUnsure = true;
            return;
        }

        _picture.AppendChild(img);
        Run(img, HtmlMediaRules.Img, null, _picture);
    }

    private void Child(string name)
    {
        if (_picture is not null && name == "source" && !_pictureNested)
        {
            if (Build(name) is { } source)
                _picture.AppendChild(source);
            else
                _pictureUnsure = true;
        }

        if (_media is not null && !_mediaUnsure)
        {
            if (Build(name) is { } child)
                _media.AppendChild(child);
            else
                _mediaUnsure = true;
        }
    }

    private void MediaEnded()
    {
        var media = _media!;
        _media = null;
        if (!_mediaUnsure && Applying)
            Run(media, HtmlMediaRules.VideoOrAudio, Parent());
    }

    /// <summary>§2.4.1: the first base element with an href fixes the base URL; later ones do not count.</summary>
    private void Base()
    {
        if (_baseSeen || !_tag.Has(Href))
            return;
        if (Text(_tag.Value(Href), attribute: true) is not { } href)
        {
            _stopped = true; // a base we cannot read yet: every later URL depends on it
            return;
        }

        _baseSeen = true;
        _baseUrl = HtmlDiscovery.ResolveBase(href, _documentUrl);
    }

    /// <summary>§13.2.3.2 / §4.2.5.4: a meta charset in the first 1024 bytes fixes a tentative encoding.</summary>
    private void Meta()
    {
        if (_encodingCertain || _tag.Offset >= MetaCharsetWindow)
            return;
        string? label;
        if (_tag.Has(Charset))
            label = Text(_tag.Value(Charset), attribute: true);
        else if (_tag.Has(HttpEquiv) && string.Equals(Text(_tag.Value(HttpEquiv), attribute: true)?.Trim(), "content-type", StringComparison.OrdinalIgnoreCase))
            label = HtmlDocumentDecoder.ExtractCharset(Text(_tag.Value(Content), attribute: true));
        else
            return;

        if (CharsetLabels.Find(label) is not { } encoding)
            return;
        _encoding = CharsetLabels.IsUtf16(encoding) ? CharsetLabels.Utf8 : encoding;
        _encodingCertain = true;
        if (!IsAsciiCompatible(_encoding))
            _stopped = true;
    }

    private void Apply(string name, Action<IElement, HtmlDiscoveryContext> rule)
    {
        if (Build(name) is { } element)
            Run(element, rule, Parent());
    }

    /// <summary>Where the real tree puts the element: the head until the body starts (§13.2.6.4.4–6).</summary>
    private IElement Parent() => _bodyStarted ? _scratch.Body! : _scratch.Head!;

    private void Run(IElement element, Action<IElement, HtmlDiscoveryContext> rule, IElement? parent, IElement? container = null)
    {
        var attached = container ?? element;
        (parent ?? _scratch.Body!).AppendChild(attached);
        try
        {
            var context = Context();
            rule(element, context);
            Emit(context);
        }
        finally
        {
            attached.Remove();
        }
    }
}
