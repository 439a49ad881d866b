namespace FetchAgent.Bench.SideBySide;

/// <summary>One page load by one client.</summary>
/// <param name="Ms">The client's time for the page, as <see cref="IPageClient.Timing"/> says it is measured.</param>
/// <param name="Urls">Every request the client made for the page, the page itself first, in the order made.</param>
/// <param name="NotOk">Responses whose status was not 200 (a corpus page can name a file its tree lacks).</param>
/// <param name="Connections">Connections the client says it opened, or null when it does not say.</param>
public sealed record ClientLoad(double Ms, IReadOnlyList<Uri> Urls, int NotOk, int? Connections)
{
    public int Requests => Urls.Count;
}

/// <summary>A client that loads a page the way a user of it would; <see cref="IAsyncDisposable.DisposeAsync"/> ends any process it started.</summary>
public interface IPageClient : IAsyncDisposable
{
    string Name { get; }

    /// <summary>Sent on every request, so nginx's log tells this client's connections from the others'.</summary>
    string UserAgent { get; }

    /// <summary>How it was set up and what its time measures, for the report.</summary>
    string Description { get; }

    /// <summary>Loads <paramref name="page"/>; clients that do not parse are handed <paramref name="subResources"/> (FetchAgent's discovery).</summary>
    Task<ClientLoad> LoadAsync(Uri page, IReadOnlyList<Uri> subResources, CancellationToken cancellationToken);
}
