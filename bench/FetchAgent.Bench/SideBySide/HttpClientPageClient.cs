using System.Diagnostics;
using System.Net;

namespace FetchAgent.Bench.SideBySide;

/// <summary>
/// .NET's own HTTP/1.1 pool with the same budget (<c>MaxConnectionsPerServer</c> N), handed FetchAgent's URL list: the
/// document, then every sub-resource at once, each body read to its end. A new handler per load so its connections
/// start cold; disposing it (closing them) is inside the time, as FetchAgent closes its own before it returns.
/// Redirects are not followed, as FetchAgent records a redirect and its target as two requests of the list.
/// </summary>
public sealed class HttpClientPageClient(int connections) : IPageClient
{
    public string Name => "HttpClient";

    public string UserAgent => HttpClientBaseline.UserAgent;

    public string Description =>
        $"SocketsHttpHandler MaxConnectionsPerServer {connections}, a new handler per load, the document then the list at once; time = Stopwatch, handler disposed inside";

    public async Task<ClientLoad> LoadAsync(Uri page, IReadOnlyList<Uri> subResources, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        List<(Uri Url, HttpStatusCode Status, long Bytes)> all;
        using (var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            AutomaticDecompression = DecompressionMethods.All,
            AllowAutoRedirect = false,
        })
        {
            using var client = new HttpClient(handler, disposeHandler: false);
            client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
            try
            {
                var first = await HttpClientBaseline.FetchAsync(client, page, cancellationToken);
                var rest = await Task.WhenAll(subResources.Select(url => HttpClientBaseline.FetchAsync(client, url, cancellationToken)));
                all = [first, .. rest];
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
            {
                throw new BenchFailure($"HttpClient {page}: {e.GetType().Name}: {e.Message}");
            }
        }

        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return new ClientLoad(ms, all.Select(f => f.Url).ToList(), all.Count(f => f.Status != HttpStatusCode.OK), null);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
