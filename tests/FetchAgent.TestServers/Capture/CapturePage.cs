using System.Text;

namespace FetchAgent.TestServers.Capture;

/// <summary>
/// The page the capture checks load: a 20 KB document, a stylesheet, a script and 17 images (20 objects), each image
/// large enough to span several reads. Served by nginx with a think time, so every phase is long enough to be told apart.
/// </summary>
public static class CapturePage
{
    public const int ObjectCount = 20;

    public static IReadOnlyDictionary<string, byte[]> Files()
    {
        var html = new StringBuilder("<!doctype html><html><head><title>capture</title><link rel=stylesheet href=/style.css><script src=/app.js></script></head><body>");
        var files = new Dictionary<string, byte[]>
        {
            ["/style.css"] = Encoding.UTF8.GetBytes("body { margin: 0 } p { color: #333 }"),
            ["/app.js"] = Encoding.UTF8.GetBytes("void 0;"),
        };
        for (var i = 0; i < ObjectCount - 3; i++)
        {
            html.Append($"<img src=/img/{i}.png alt=''>");
            files[$"/img/{i}.png"] = Enumerable.Range(0, 12_000 + 3_000 * i).Select(b => (byte)(b * 7)).ToArray();
        }

        while (html.Length < 20_000)
            html.Append("<p>Connection management: hostname, DNS, port, connect, send, read.</p>");
        html.Append("</body></html>");
        files["/index.html"] = Encoding.UTF8.GetBytes(html.ToString());
        return files;
    }

    /// <summary>True once every connection that carried a request has been closed both ways (the graceful close is on the wire).</summary>
    public static bool AllClosed(IReadOnlyList<TcpSegment> segments, int serverPort)
    {
        var ports = segments.Where(s => s.DestinationPort == serverPort && s.Has(TcpFlags.Syn)).Select(s => s.SourcePort).ToHashSet();
        return ports.Count > 0 && ports.All(port =>
            segments.Any(s => s.SourcePort == port && s.DestinationPort == serverPort && (s.Has(TcpFlags.Fin) || s.Has(TcpFlags.Rst)))
            && segments.Any(s => s.SourcePort == serverPort && s.DestinationPort == port && (s.Has(TcpFlags.Fin) || s.Has(TcpFlags.Rst))));
    }
}
