using System.Buffers;
using System.Net;

namespace FetchAgent.Bench;

/// <summary>What the baseline fetched in one load.</summary>
public sealed record BaselineLoad(int Responses, long BodyBytes, IReadOnlyList<string> Problems);

/// <summary>
/// The baseline: .NET's own HTTP/1.1 pool, bounded like FetchAgent's (2 connections per server). It is
/// handed the sub-resource list FetchAgent discovered, so it parses nothing: the document, then every
/// sub-resource at once, each body read to its end. A new handler per load, so its connections start
/// cold like FetchAgent's, and disposing it (closing them) is inside the measured time, as
/// FetchAgent's load closes its own connections before it returns.
/// </summary>
public sealed class HttpClientBaseline
{
    /// <summary>Sent so nginx's log tells the baseline's connections from FetchAgent's.</summary>
    public const string UserAgent = "FetchAgent.Bench-HttpClient";

    public static async Task<BaselineLoad> LoadAsync(Uri document, IReadOnlyList<Uri> subResources, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 2,
            AutomaticDecompression = DecompressionMethods.All,
        };
        using var client = new HttpClient(handler, disposeHandler: false);
        client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);

        var first = await FetchAsync(client, document, cancellationToken);
        var rest = await Task.WhenAll(subResources.Select(url => FetchAsync(client, url, cancellationToken)));
        var all = rest.Prepend(first).ToList();
        var problems = all.Where(f => f.Status != HttpStatusCode.OK)
            .Select(f => $"{f.Url}: status {(int)f.Status}")
            .ToList();
        return new BaselineLoad(all.Count, all.Sum(f => f.Bytes), problems);
    }

    internal static async Task<(Uri Url, HttpStatusCode Status, long Bytes)> FetchAsync(HttpClient client, Uri url, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        // Read to the end into a pooled buffer: the bytes cross into this process, nothing keeps them.
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                total += read;
            return (url, response.StatusCode, total);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
