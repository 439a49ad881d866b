using FetchAgent.Engine.Model;


namespace FetchAgent.Engine.Page;

/// <summary>The last hop of an object's redirect chain, with its decoded body when the loader kept it.</summary>
internal sealed record FetchedObject(ObjectRecord Record, ReadOnlyMemory<byte> Content)
{
    /// <summary>
    /// The URL this was fetched from, as requested (with any credentials): the base its references resolve against.
    /// The record's <see cref="ObjectRecord.Url"/> is the shown one, its password masked.
    /// </summary>
    public Uri? Url { get; init; }

    /// <summary>The clock reading when the last body byte was read, when a body was read.</summary>
    public long? LastByte { get; init; }

    /// <summary>The discovery that watched this response's body as it arrived (HTML documents and frames).</summary>
    public StreamedDocument? Streamed { get; init; }

    /// <summary>The body went on past what was kept and decoded (the parse cap): discovery reads only <see cref="Content"/>.</summary>
    public bool ParseCut { get; init; }

    /// <summary>The page's budget for kept bodies had no room for this one: it was not kept, nor read for references.</summary>
    public bool NotKept { get; init; }

    public bool Succeeded => Record.Error is null && (Record.Status is >= 200 and < 300 || Record.Revalidated);

    public bool IsHtml
    {
        get
        {
            var type = Record.ContentType;
            if (type is null)
                return Content.Span.TrimStart(" \t\r\n"u8).StartsWith("<"u8);
            return type.StartsWith("text/html", StringComparison.OrdinalIgnoreCase)
                || type.StartsWith("application/xhtml+xml", StringComparison.OrdinalIgnoreCase);
        }
    }
}
