using AngleSharp.Dom;

namespace FetchAgent.Engine.Discovery.Css;

/// <summary>
/// A parsed document kept for the style pass: its tree (AngleSharp's) and the base URL its <c>&lt;link&gt;</c>
/// and <c>&lt;style&gt;</c> references resolve against.
/// </summary>
public sealed class StyledDocument
{
    internal StyledDocument(IDocument document, Uri baseUrl)
    {
        Document = document;
        BaseUrl = baseUrl;
    }

    internal IDocument Document { get; }

    internal Uri BaseUrl { get; }
}
