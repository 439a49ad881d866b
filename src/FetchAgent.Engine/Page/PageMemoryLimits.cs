namespace FetchAgent.Engine.Page;

/// <summary>
/// What one page load may hold in memory for discovery. Constants rather than load options: they change what is
/// discovered only on pages far larger than real ones, and every body is still fetched and measured whole.
/// </summary>
public sealed record PageMemoryLimits
{
    /// <summary>
    /// 4 MiB: the bytes of one HTML document (page or frame) or one stylesheet that discovery parses, after
    /// Content-Encoding is undone. Real documents and stylesheets are rarely over a few hundred KB and almost never
    /// over a few MB, while the full HTML parse (AngleSharp) takes 12 to 25 bytes of memory per byte of HTML (a
    /// 50 MB document took 600 MB): at 4 MiB one parse costs 50 to 100 MB.
    /// </summary>
    public const long DefaultMaxParsedBytes = 4L * 1024 * 1024;

    /// <summary>
    /// 32 MiB: the sum of the bodies one page keeps for discovery (each at most <see cref="DefaultMaxParsedBytes"/>),
    /// i.e. eight documents, frames or stylesheets at the cap, or hundreds of real ones.
    /// </summary>
    public const long DefaultPageBudgetBytes = 32L * 1024 * 1024;

    public static PageMemoryLimits Default { get; } = new();

    /// <summary>Decoded bytes parsed per HTML document and per stylesheet; what follows is not read for references.</summary>
    public long MaxParsedBytes { get; init; } = DefaultMaxParsedBytes;

    /// <summary>Sum over the page of the bodies kept for discovery; past it a body is not kept and not read.</summary>
    public long PageBudgetBytes { get; init; } = DefaultPageBudgetBytes;
}
