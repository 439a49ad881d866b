using System.Globalization;
using FetchAgent.Engine.Model;

namespace FetchAgent.Cli;

/// <summary>
/// Column widths of a waterfall row: <c>id kind url status size conn bar</c>. The URL and the bar
/// share what the fixed columns leave; below about 60 columns the bar is dropped and the URL keeps the rest.
/// </summary>
internal sealed record WaterfallLayout(int Width, int IdWidth, int UrlWidth, int ConnectionWidth, int BarWidth)
{
    public const int KindWidth = 5;
    public const int StatusWidth = 3;
    public const int SizeWidth = 7;
    private const int MinimumBar = 16;
    private const int MinimumUrl = 12;
    private const int MaximumUrl = 48;

    public bool HasBar => BarWidth > 0;

    public int KindColumn => IdWidth + 1;
    public int UrlColumn => KindColumn + KindWidth + 1;
    public int StatusColumn => UrlColumn + UrlWidth + 1;
    public int SizeColumn => StatusColumn + StatusWidth + 1;
    public int ConnectionColumn => SizeColumn + SizeWidth + 1;

    /// <summary>Where the bar starts; without a bar, where the row's text ends.</summary>
    public int BarColumn => ConnectionColumn + ConnectionWidth + 1;

    public static WaterfallLayout For(PageLoadDocument document, int width)
    {
        var maxId = document.Objects.Count == 0 ? 0 : document.Objects.Max(o => o.Id);
        var idWidth = Math.Max(2, maxId.ToString(CultureInfo.InvariantCulture).Length);
        var connectionWidth = Math.Max(3, document.Objects.Select(o => ConnectionLabel(o).Length).DefaultIfEmpty(0).Max());
        var fixedWidth = idWidth + KindWidth + StatusWidth + SizeWidth + connectionWidth + 6;
        var remaining = width - fixedWidth;

        var url = Math.Clamp(remaining * 2 / 5, MinimumUrl, MaximumUrl);
        var bar = remaining - url;
        if (bar >= MinimumBar)
            return new WaterfallLayout(width, idWidth, url, connectionWidth, bar);
        return new WaterfallLayout(width, idWidth, Math.Max(MinimumUrl, remaining + 1), connectionWidth, 0);
    }

    /// <summary><c>#3</c>, or <c>#3r</c> when the request reused the connection.</summary>
    public static string ConnectionLabel(ObjectRecord record) =>
        record.ConnectionId is { } id
            ? "#" + id.ToString(CultureInfo.InvariantCulture) + (record.ReusedConnection ? "r" : "")
            : "";
}
