using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;


namespace FetchAgent.Bench;

/// <summary>FetchAgent as the contract's default load runs it: persistent connections, two per host.</summary>
public sealed class FetchAgentClient
{
    public static readonly LoadOptions Options = new() { Strategy = ConnectionStrategy.Persistent, MaxConnectionsPerHost = 2 };

    private readonly PageLoader _loader = new();

    public Task<PageLoadDocument> LoadAsync(Uri url, CancellationToken cancellationToken) =>
        _loader.LoadAsync(url, Options, objectFinished: null, cancellationToken);

    /// <summary>The sub-resources the loader discovered and fetched, in the order it recorded them.</summary>
    public static IReadOnlyList<Uri> SubResources(PageLoadDocument document) =>
        document.Objects.Where(o => o.Kind != ResourceKind.Document).Select(o => new Uri(o.Url)).ToList();

    /// <summary>Why this load does not count as a measurement of the whole page, or null when it does.</summary>
    public static string? Problem(PageLoadDocument document, int expectedObjects)
    {
        if (document.Status != PageLoadStatus.Completed)
            return $"status {document.Status}{(document.Error is null ? "" : $": {document.Error}")}";
        if (document.Objects.Count != expectedObjects)
            return $"{document.Objects.Count} objects, expected {expectedObjects}";
        var failed = document.Objects.FirstOrDefault(o => o.Error is not null || o.Status != 200);
        return failed is null ? null : $"{failed.Url}: status {failed.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, error {failed.Error ?? "none"}";
    }
}
