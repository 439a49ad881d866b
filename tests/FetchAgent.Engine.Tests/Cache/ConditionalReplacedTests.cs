using System.Text;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Cache;

/// <summary>
/// RFC 9111 §4.3.3: a server that answers a conditional request with a full 200 (its stylesheet changed between the
/// views): the new body replaces the stored one, and discovery reads the new body, not the cached one.
/// </summary>
public sealed class ConditionalReplacedTests
{
    [Fact]
    public async Task A_200_to_a_conditional_request_replaces_the_stored_body_and_its_references()
    {
        var cssVersion = 0;
        await using var server = new ScriptedServer(async c =>
        {
            while (await c.ReadRequestAsync() is { } request)
            {
                var (status, type, headers, body) = request.Target switch
                {
                    "/" when request.Header("If-None-Match") == "\"page\"" => (304, "text/html", "ETag: \"page\"\r\nCache-Control: no-cache\r\n", ""),
                    "/" => (200, "text/html", "ETag: \"page\"\r\nCache-Control: no-cache\r\n", "<!doctype html><link rel=stylesheet href=/s.css>"),
                    // Always a full answer, with a new validator and a body that names another image.
                    "/s.css" => Interlocked.Increment(ref cssVersion) is var v
                        ? (200, "text/css", $"ETag: \"v{v}\"\r\nCache-Control: no-cache\r\n", $"body {{ background: url(/image{v}.png) }}")
                        : default,
                    _ => (200, "image/png", "Cache-Control: max-age=3600\r\n", "png"),
                };
                await c.WriteAsync($"HTTP/1.1 {status} X\r\nContent-Type: {type}\r\n{headers}Content-Length: {Encoding.ASCII.GetByteCount(body)}\r\n\r\n{body}");
            }
        });

        var page = await new PageLoader().LoadAsync(server.Url("/"), Sites.Options(perHost: 1) with { RepeatView = true });

        Assert.Equal(["/", "/s.css", "/image1.png"], page.Objects.Select(o => new Uri(o.Url).AbsolutePath));
        var repeat = page.RepeatView!;
        Assert.Equal(
            [("/", 304, true, false), ("/s.css", 200, false, false), ("/image2.png", 200, false, false)],
            repeat.Objects.Select(o => (new Uri(o.Url).AbsolutePath, o.Status!.Value, o.Revalidated, o.FromCache)));
        Assert.Equal("\"v1\"", repeat.Objects[1].RequestHeaders.Single(h => h.Name == "If-None-Match").Value);

        // The server saw six requests: three per view, and the repeat view's first two conditional.
        var requests = server.Requests.ToList();
        Assert.Equal(["/", "/s.css", "/image1.png", "/", "/s.css", "/image2.png"], requests.Select(r => r.Target));
        Assert.Equal([null, null, null, "\"page\"", "\"v1\"", null], requests.Select(r => r.Header("If-None-Match")));
    }
}
