using System.Globalization;
using System.Text;

namespace FetchAgent.TestServers;

/// <summary>
/// A raw HTTP/1.1 origin behind HTTP Basic (RFC 7617): a request without exactly the expected <c>Authorization</c>
/// gets <c>401</c> with <paramref name="challenge"/> and an HTML body that references <c>/trap.png</c> (a browser
/// retrying with credentials never renders it); with it, <c>/</c> is a page referencing <c>/a.png</c>. Every
/// request head is kept, in arrival order, with the <c>Authorization</c> it carried.
/// </summary>
public sealed class BasicAuthOrigin : IAsyncDisposable
{
    private readonly ScriptedServer _server;

    public BasicAuthOrigin(string user, string password, string challenge = "Basic realm=\"fetchagent\", charset=\"UTF-8\"", string page = "<img src=/a.png>")
    {
        ExpectedAuthorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
        _server = new ScriptedServer(async connection =>
        {
            while (await connection.ReadRequestAsync().ConfigureAwait(false) is { } request)
            {
                var authorized = request.Header("Authorization") == ExpectedAuthorization;
                var (status, type, body, extra) = !authorized
                    ? ("401 Unauthorized", "text/html", "<p>who are you?<img src=/trap.png>", $"WWW-Authenticate: {challenge}\r\n")
                    : request.Target == "/" ? ("200 OK", "text/html", page, "")
                    : ("200 OK", "image/png", "0123456789", "");
                var bytes = Encoding.UTF8.GetBytes(body);
                await connection.WriteAsync(string.Create(CultureInfo.InvariantCulture,
                    $"HTTP/1.1 {status}\r\nContent-Type: {type}\r\nContent-Length: {bytes.Length}\r\n{extra}\r\n") + body).ConfigureAwait(false);
            }
        });
    }

    /// <summary><c>Basic base64(user:password)</c>, UTF-8.</summary>
    public string ExpectedAuthorization { get; }

    public int Port => _server.Port;

    /// <summary>The page's URL with the credentials in it: <c>http://user:password@127.0.0.1:port/</c>.</summary>
    public string UrlWith(string user, string password, string path = "/") => $"http://{user}:{password}@127.0.0.1:{Port}{path}";

    /// <summary>(target, Authorization) of every request, in arrival order.</summary>
    public IReadOnlyList<(string Target, string? Authorization)> Requests => _server.Requests.Select(r => (r.Target, r.Header("Authorization"))).ToList();

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
