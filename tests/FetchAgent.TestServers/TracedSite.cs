namespace FetchAgent.TestServers;

/// <summary>
/// A page whose pool decisions are known in advance, for the trace tests (one connection per host, persistent):
/// the document streams its <c>&lt;link&gt;</c> to a stylesheet, then pauses <see cref="Pause"/> before its last
/// bytes, so the stylesheet is asked for while the only connection is busy (queued, then handed on). The stylesheet
/// says <c>Keep-Alive: timeout=5, max=1</c> and names an image in <c>url()</c>, found only once it is read: the
/// idle connection is reused for the image, which spends the server's last request (retired: keep-alive max).
/// </summary>
public static class TracedSite
{
    public static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(300);

    private const string Head = "<!doctype html><html><head><link rel=stylesheet href=\"/style.css\"></head>";
    private const string Tail = "<body><p>traced</p></body></html>";
    private const string Css = "body { background: url(/a.png) }";

    public static ScriptedServer Start() =>
        new(async c =>
        {
            while (await c.ReadRequestAsync() is { } request)
            {
                switch (request.Target)
                {
                    case "/":
                        await c.WriteAsync($"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {Head.Length + Tail.Length}\r\n\r\n{Head}");
                        await Task.Delay(Pause, c.Stopping);
                        await c.WriteAsync(Tail);
                        break;
                    case "/style.css":
                        await c.WriteAsync($"HTTP/1.1 200 OK\r\nContent-Type: text/css\r\nKeep-Alive: timeout=5, max=1\r\nContent-Length: {Css.Length}\r\n\r\n{Css}");
                        break;
                    case "/a.png":
                        await c.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nConnection: close\r\nContent-Length: 4\r\n\r\n\x89PNG");
                        return;
                    default:
                        await c.WriteAsync("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
                        break;
                }
            }
        });
}
