using FetchAgent.Engine.Discovery.Css;
using FetchAgent.Engine.Discovery.Html;


namespace FetchAgent.Bench;

/// <summary>
/// The share of a FetchAgent load that is parsing rather than networking: the engine's HTML and CSS
/// discovery run alone on the page's own document and stylesheets (fetched once, outside the timing).
/// HttpClient parses nothing here, so this is work only one side of the table does.
/// </summary>
public static class DiscoveryCost
{
    /// <returns>Samples of the HTML discovery (AngleSharp) and of the CSS discovery of every stylesheet.</returns>
    public static async Task<(IReadOnlyList<Sample> Html, IReadOnlyList<Sample> Css)> MeasureAsync(GeneratedSite site, int runs)
    {
        using var client = new HttpClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd("FetchAgent.Bench-setup");
        var document = await client.GetByteArrayAsync(site.DocumentUrl);
        var sheets = new List<(Uri Url, byte[] Bytes)>();
        foreach (var url in site.SubResourceUrls.Where(u => u.AbsolutePath.EndsWith(".css", StringComparison.Ordinal)))
            sheets.Add((url, await client.GetByteArrayAsync(url)));

        var html = new List<Sample>();
        var css = new List<Sample>();
        for (var i = 0; i < runs; i++)
        {
            var (_, htmlSample) = await Measurement.MeasureAsync(
                () => Task.FromResult(HtmlDiscovery.Discover(document, "text/html", site.DocumentUrl).Count),
                _ => null);
            html.Add(htmlSample);
            var (_, cssSample) = await Measurement.MeasureAsync(
                () => Task.FromResult(sheets.Sum(s => CssDiscovery.Discover(s.Bytes, "text/css", s.Url).Count)),
                _ => null);
            css.Add(cssSample);
        }

        return (html, css);
    }
}
