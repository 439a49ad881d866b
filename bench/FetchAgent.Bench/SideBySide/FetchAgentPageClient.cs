using System.Diagnostics;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;

namespace FetchAgent.Bench.SideBySide;

/// <summary>FetchAgent in this process, as the daemon runs a load: persistent connections, N per host, each load's own.</summary>
public sealed class FetchAgentPageClient(int connections) : IPageClient
{
    private readonly PageLoader _loader = new();
    private readonly LoadOptions _options = new() { Strategy = ConnectionStrategy.Persistent, MaxConnectionsPerHost = connections };

    public string Name => "FetchAgent";

    /// <summary>The engine's own User-Agent: FetchAgent is measured as it ships.</summary>
    public string UserAgent => FetchAgent.Engine.Http1.RequestWriter.UserAgent;

    public string Description =>
        $"PageLoader in this process, strategy persistent, maxConnectionsPerHost {connections}, discovers the page itself; time = Stopwatch around LoadAsync (its connections closed inside)";

    public async Task<ClientLoad> LoadAsync(Uri page, IReadOnlyList<Uri> subResources, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var document = await _loader.LoadAsync(page, _options, objectFinished: null, cancellationToken);
        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (document.Status != PageLoadStatus.Completed)
            throw new BenchFailure($"FetchAgent {page}: status {document.Status}{(document.Error is null ? "" : $": {document.Error}")}");
        var failed = document.Objects.FirstOrDefault(o => o.Status is null);
        if (failed is not null)
            throw new BenchFailure($"FetchAgent {failed.Url}: no response, error {failed.Error ?? "none"}");
        return new ClientLoad(ms, document.Objects.Select(o => new Uri(o.Url)).ToList(), document.Objects.Count(o => o.Status != 200), document.Connections.Count);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
