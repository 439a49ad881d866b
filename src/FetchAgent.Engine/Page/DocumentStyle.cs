using FetchAgent.Engine.Discovery.Css;

namespace FetchAgent.Engine.Page;

/// <summary>
/// A document's (the page's or a frame's) wait for its style pass: the pass runs once, when the document has been
/// parsed and every stylesheet it requested (imports included, as each sheet issues its imports before it counts
/// as done) has arrived or failed, as a browser computes style and lays out only once its sheets are in.
/// </summary>
internal sealed class DocumentStyle(int documentId, int frameDepth)
{
    private readonly Lock _lock = new();
    private readonly List<CssSheetOutline> _sheets = [];
    private int _pending = 1; // the document itself, until parsed
    private bool _ran;

    public int DocumentId { get; } = documentId;

    public int FrameDepth { get; } = frameDepth;

    /// <summary>The parsed document; null when it could not be kept or parsed (the pass then requests every reference, as before it existed).</summary>
    public StyledDocument? Page { get; private set; }

    /// <summary>The sheets that arrived for this document, for the pass without a document.</summary>
    public IReadOnlyList<CssSheetOutline> Arrived
    {
        get
        {
            lock (_lock)
                return [.. _sheets];
        }
    }

    public void SheetIssued()
    {
        lock (_lock)
            _pending++;
    }

    public void SheetArrived(CssSheetOutline sheet)
    {
        lock (_lock)
            _sheets.Add(sheet);
    }

    /// <summary>A sheet is done; true when the pass is due now (and only once).</summary>
    public bool SheetDone()
    {
        lock (_lock)
        {
            _pending--;
            return Due();
        }
    }

    /// <summary>The document's full parse is done; true when the pass is due now (and only once).</summary>
    public bool DocumentParsed(StyledDocument? page)
    {
        lock (_lock)
        {
            Page = page;
            _pending--;
            return Due();
        }
    }

    private bool Due()
    {
        if (_pending > 0 || _ran)
            return false;
        _ran = true;
        return true;
    }
}
