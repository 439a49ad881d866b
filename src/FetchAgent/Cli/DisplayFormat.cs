using System.Globalization;
using FetchAgent.Engine.Model;

namespace FetchAgent.Cli;

/// <summary>How numbers, sizes, kinds and URLs read on the terminal; always invariant culture.</summary>
internal static class DisplayFormat
{
    public const char Ellipsis = '…';

    /// <summary>Milliseconds: whole numbers, with one decimal below 10 ms so loopback loads still say something.</summary>
    public static string Ms(double ms) =>
        ms.ToString(Math.Abs(ms) < 10 ? "0.#" : "0", CultureInfo.InvariantCulture);

    /// <summary>Bytes in B, kB or MB, 1000-based as DevTools and the web UI write them; one decimal below 10 of the unit.</summary>
    public static string Bytes(long bytes)
    {
        if (bytes < 1000)
            return bytes.ToString(CultureInfo.InvariantCulture) + " B";
        var (value, unit) = bytes < 999_500 ? (bytes / 1000.0, "kB") : (bytes / 1_000_000.0, "MB");
        return value.ToString(value < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + " " + unit;
    }

    public static string Kind(ResourceKind kind) => kind switch
    {
        ResourceKind.Document => "doc",
        ResourceKind.Stylesheet => "css",
        ResourceKind.Script => "js",
        ResourceKind.Image => "img",
        ResourceKind.Font => "font",
        ResourceKind.Media => "media",
        ResourceKind.Iframe => "frame",
        _ => "other",
    };

    public static string Plural(long count, string noun) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + noun + (count == 1 ? "" : "s");

    /// <summary>
    /// A URL as a row shows it: the path and query for the page's own origin, host + path for others;
    /// too long, it keeps its start and its end (the file name) around a middle ellipsis.
    /// </summary>
    public static string Url(string url, Uri? page, int width)
    {
        var text = url;
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            var sameOrigin = page is not null && uri.Scheme == page.Scheme && uri.Host == page.Host && uri.Port == page.Port;
            text = sameOrigin ? uri.PathAndQuery : uri.Authority + uri.PathAndQuery;
        }
        return MiddleEllipsis(text, width);
    }

    public static string MiddleEllipsis(string text, int width)
    {
        if (text.Length <= width)
            return text;
        if (width <= 1)
            return width == 1 ? Ellipsis.ToString() : "";
        var head = (width - 1) / 3;
        var tail = width - 1 - head;
        return string.Concat(text.AsSpan(0, head), Ellipsis.ToString(), text.AsSpan(text.Length - tail));
    }

    public static string EndEllipsis(string text, int width) =>
        text.Length <= width ? text : width <= 1 ? Ellipsis.ToString()[..Math.Max(width, 0)] : text[..(width - 1)] + Ellipsis;

    public static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
