using FetchAgent.Engine.Timeline;

namespace FetchAgent.Engine.Page;

/// <summary>One HTML response being discovered as it streams in, and the objects it has already issued.</summary>
internal sealed class StreamedDocument(StreamingHtmlDiscovery discovery, ObjectRecord record, int frameDepth)
{
    public StreamingHtmlDiscovery Discovery { get; } = discovery;

    /// <summary>The object (redirect hop) whose body this is: the parent of what it finds.</summary>
    public ObjectRecord Record { get; } = record;

    /// <summary>0 for the page, 1 and 2 for frames (whose references block nothing of the page).</summary>
    public int FrameDepth { get; } = frameDepth;

    /// <summary>Objects this document issued, by URL key, so the full parse can correct their flags rather than request twice.</summary>
    public Dictionary<string, ObjectRecord> Issued { get; } = new(StringComparer.Ordinal);
}
