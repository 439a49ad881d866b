using System.Globalization;
using System.Net;
using System.Text;
using FetchAgent.TestServers;

namespace FetchAgent.Bench;

/// <summary>
/// The page under test: one HTML document on a first nginx (127.0.0.1) whose sub-resources alternate
/// between that host and a second nginx on 127.0.0.2 (absolute URLs), so a client keeps two pools of
/// two connections busy, as a browser would with a CDN host. Sizes and bytes come from a seeded random.
/// </summary>
public sealed class GeneratedSite : IAsyncDisposable
{
    private GeneratedSite(NginxOrigin first, NginxOrigin second, Uri documentUrl, IReadOnlyList<Uri> subResources, SiteShape shape, long bytes)
    {
        First = first;
        Second = second;
        DocumentUrl = documentUrl;
        SubResourceUrls = subResources;
        Shape = shape;
        TotalBodyBytes = bytes;
    }

    public NginxOrigin First { get; }
    public NginxOrigin Second { get; }
    public Uri DocumentUrl { get; }

    /// <summary>Every sub-resource as generated: what a correct loader must discover, each once.</summary>
    public IReadOnlyList<Uri> SubResourceUrls { get; }
    public SiteShape Shape { get; }

    /// <summary>Bodies of the document and every sub-resource, as served (nginx does not compress here).</summary>
    public long TotalBodyBytes { get; }

    public int ObjectsOn(NginxOrigin origin) =>
        SubResourceUrls.Count(u => u.Port == origin.Port && u.Host == origin.Address.ToString());

    /// <param name="delay">nginx holds every response this long (echo_sleep); none by default.</param>
    public static async Task<GeneratedSite> StartAsync(int objects, int seed, TimeSpan delay = default)
    {
        var shape = SiteShape.For(objects);
        var random = new Random(seed);
        var firstFiles = new Dictionary<string, byte[]>();
        var secondFiles = new Dictionary<string, byte[]>();
        // Even-numbered resources on the first host, odd on the second; a CSS url() image lives beside its sheet.
        Dictionary<string, byte[]> HostOf(int index) => index % 2 == 0 ? firstFiles : secondFiles;

        var sheets = new List<(string Path, bool OnSecond)>();
        for (var i = 0; i < shape.Stylesheets; i++)
        {
            var path = $"/css/s{i}.css";
            var background = i < shape.CssImages ? $"/img/bg{i}.png" : null;
            HostOf(i)[path] = Stylesheet(random, i, background);
            if (background is not null)
                HostOf(i)[background] = Image(random);
            sheets.Add((path, i % 2 == 1));
        }

        var scripts = new List<(string Path, bool OnSecond)>();
        for (var i = 0; i < shape.Scripts; i++)
        {
            var path = $"/js/j{i}.js";
            HostOf(i)[path] = Script(random, i);
            scripts.Add((path, i % 2 == 1));
        }

        var images = new List<(string Path, bool OnSecond)>();
        for (var i = 0; i < shape.Images; i++)
        {
            var path = $"/img/i{i}.png";
            HostOf(i)[path] = Image(random);
            images.Add((path, i % 2 == 1));
        }

        // The second host first: the document needs its port for the absolute URLs.
        var second = await NginxOrigin.StartAsync(secondFiles, NginxBenchLog.Config, IPAddress.Parse("127.0.0.2"), delay: delay);
        try
        {
            string Href((string Path, bool OnSecond) r) => r.OnSecond ? second.Url(r.Path).AbsoluteUri : r.Path;
            firstFiles["/index.html"] = Document(sheets.Select(Href), scripts.Select(Href), images.Select(Href), shape.CssImages);
            var first = await NginxOrigin.StartAsync(firstFiles, NginxBenchLog.Config, delay: delay);
            var urls = firstFiles.Keys.Where(p => p != "/index.html").Select(first.Url)
                .Concat(secondFiles.Keys.Select(second.Url))
                .ToList();
            var bytes = firstFiles.Values.Sum(b => (long)b.Length) + secondFiles.Values.Sum(b => (long)b.Length);
            return new GeneratedSite(first, second, first.Url("/index.html"), urls, shape, bytes);
        }
        catch
        {
            await second.DisposeAsync();
            throw;
        }
    }

    /// <summary>Distinct nginx connections per User-Agent, over both hosts, since the servers started.</summary>
    public IReadOnlyDictionary<string, int> ConnectionsByUserAgent() => NginxBenchLog.ConnectionsByUserAgent([First, Second]);

    internal static byte[] Document(IEnumerable<string> sheets, IEnumerable<string> scripts, IEnumerable<string> images, int heroes)
    {
        var html = new StringBuilder("<!doctype html>\n<html><head><meta charset=utf-8><title>bench page</title>\n");
        foreach (var sheet in sheets)
            html.Append("<link rel=stylesheet href=\"").Append(sheet).Append("\">\n");
        html.Append("</head><body>\n");
        for (var i = 0; i < heroes; i++)
            html.Append("<div class=hero").Append(i.ToString(CultureInfo.InvariantCulture)).Append("></div>\n");
        foreach (var image in images)
            html.Append("<p>Generated paragraph.</p><img src=\"").Append(image).Append("\" width=64 height=64 alt=\"\">\n");
        foreach (var script in scripts)
            html.Append("<script src=\"").Append(script).Append("\"></script>\n");
        html.Append("</body></html>\n");
        return Encoding.UTF8.GetBytes(html.ToString());
    }

    internal static byte[] Stylesheet(Random random, int index, string? background)
    {
        var css = new StringBuilder();
        if (background is not null)
            css.Append(".hero").Append(index.ToString(CultureInfo.InvariantCulture)).Append(" { background-image: url(").Append(background).Append("); height: 64px; }\n");
        var rules = random.Next(40, 120);
        for (var j = 0; j < rules; j++)
            css.Append(CultureInfo.InvariantCulture, $".c{index}-{j} {{ margin: {j}px; color: #{random.Next(0x1000000):x6}; }}\n");
        return Encoding.UTF8.GetBytes(css.ToString());
    }

    internal static byte[] Script(Random random, int index)
    {
        var js = new StringBuilder();
        var lines = random.Next(100, 600);
        for (var j = 0; j < lines; j++)
            js.Append(CultureInfo.InvariantCulture, $"var v{index}_{j} = {random.Next()};\n");
        return Encoding.UTF8.GetBytes(js.ToString());
    }

    /// <summary>A few KB to ~50 KB of random bytes: incompressible, and nothing parses an image here.</summary>
    internal static byte[] Image(Random random)
    {
        var bytes = new byte[random.Next(2 * 1024, 50 * 1024 + 1)];
        random.NextBytes(bytes);
        return bytes;
    }

    public async ValueTask DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
    }
}

/// <summary>How the page's sub-resources divide: about a tenth each stylesheets and scripts (10 at most).</summary>
public sealed record SiteShape(int Stylesheets, int Scripts, int Images, int CssImages)
{
    public int SubResources => Stylesheets + Scripts + Images + CssImages;

    public static SiteShape For(int objects)
    {
        var stylesheets = Math.Min(10, objects / 10);
        var scripts = Math.Min(10, objects / 10);
        var cssImages = Math.Min(2, stylesheets);
        return new SiteShape(stylesheets, scripts, objects - stylesheets - scripts - cssImages, cssImages);
    }
}
