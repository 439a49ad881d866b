using System.Text;
using FetchAgent.Engine.Model;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests;

/// <summary>Pages the engine tests load from a real loopback origin.</summary>
internal static class Sites
{
    /// <summary>A document with one stylesheet and <paramref name="images"/> images, in that order.</summary>
    public static StaticOrigin WithImages(int images, PersistenceBehaviour? behaviour = null, TimeSpan imageDelay = default, int imageBytes = 2000)
    {
        var origin = new StaticOrigin(behaviour);
        var html = new StringBuilder("<!doctype html><html><head><link rel=stylesheet href=\"/style.css\"></head><body>");
        for (var i = 0; i < images; i++)
        {
            html.Append($"<img src=\"/img/{i}.png\">");
            origin.Add($"/img/{i}.png", SiteResource.Image(imageBytes) with { Delay = imageDelay });
        }

        html.Append("</body></html>");
        origin.Add("/", SiteResource.Html(html.ToString()));
        origin.Add("/style.css", SiteResource.Css("body { margin: 0 }"));
        return origin;
    }

    /// <summary>
    /// The files of a page for a real server (nginx, nghttpd): a document, a stylesheet with <paramref name="css"/> and a
    /// background image it names, and <paramref name="images"/> images of slightly different sizes.
    /// </summary>
    public static Dictionary<string, byte[]> ServerFiles(int images, string css)
    {
        var html = new StringBuilder("<!doctype html><link rel=stylesheet href=/s.css>");
        var files = new Dictionary<string, byte[]>();
        for (var i = 0; i < images; i++)
        {
            html.Append($"<img src=/i{i}.png>");
            files[$"i{i}.png"] = Enumerable.Range(0, 3000 + i).Select(b => (byte)(b * 7)).ToArray();
        }

        files["index.html"] = Encoding.UTF8.GetBytes(html.ToString());
        files["s.css"] = Encoding.UTF8.GetBytes(css);
        files["bg.png"] = new byte[777];
        return files;
    }

    public static LoadOptions Options(ConnectionStrategy strategy = ConnectionStrategy.Persistent, int perHost = 2) =>
        new() { Strategy = strategy, MaxConnectionsPerHost = perHost, ObjectTimeoutMs = 10_000, ConnectTimeoutMs = 5_000 };
}
