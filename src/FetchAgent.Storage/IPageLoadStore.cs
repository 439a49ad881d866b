using FetchAgent.Engine.Model;

namespace FetchAgent.Storage;

/// <summary>
/// Page loads, kept: a load is recorded as running when it starts and written whole, in one transaction, when it
/// ends; read back as the whole document, a filtered list, or a URL's trends. What the daemon, API and CLI use,
/// whatever database is behind it (<see cref="StorageFactory"/> picks one).
/// </summary>
/// <remarks>
/// A failure of the database itself surfaces as the engine's exception; <see cref="StorageFailure.From"/> names it
/// (507 for a full disk, 503 otherwise). Ids are the store's own, positive, and never reused for another load.
/// </remarks>
public interface IPageLoadStore
{
    /// <summary>Records a load that starts now with status running; returns its id.</summary>
    Task<long> StartAsync(string url, LoadOptions options, DateTimeOffset startedAt, CancellationToken cancellationToken = default);

    /// <summary>Writes the finished document (its <see cref="PageLoadDocument.Id"/> set), objects and connections, in one transaction.</summary>
    /// <exception cref="KeyNotFoundException">No page load has that id (never started, or deleted meanwhile); nothing is written.</exception>
    Task CompleteAsync(PageLoadDocument document, CancellationToken cancellationToken = default);

    /// <summary>Writes a finished document that was never started in storage (the CLI's --db, a HAR import); sets and returns its id.</summary>
    Task<long> InsertAsync(PageLoadDocument document, CancellationToken cancellationToken = default);

    /// <summary>False when there was no such load.</summary>
    /// <remarks>Its objects and connections go with it; comparison rows keep their place with no page load.</remarks>
    Task<bool> DeleteAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Marks every load still <c>running</c> as <c>failed</c> with the reason (after a crash or shutdown); returns how many.</summary>
    Task<int> FailRunningAsync(string reason, CancellationToken cancellationToken = default);

    /// <summary>The whole document, read as one snapshot; null when there is no such load.</summary>
    Task<PageLoadDocument?> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Newest first by (startedAt, id); <c>since &lt;= startedAt &lt; until</c>; the limit is clamped to 1..<see cref="PageLoadQuery.MaxLimit"/>.</summary>
    /// <exception cref="ArgumentException">The cursor is not one this store issued (see <see cref="PageLoadCursor.TryDecode"/>).</exception>
    Task<PageLoadPage> ListAsync(PageLoadQuery query, CancellationToken cancellationToken = default);

    /// <summary>Every completed or partial load FetchAgent ran of <paramref name="url"/>, oldest first: the trends chart's points.</summary>
    Task<IReadOnlyList<TrendPoint>> TrendPointsAsync(string url, CancellationToken cancellationToken = default);

    /// <summary>Per strategy (the contract's order), over completed and partial loads of <paramref name="url"/>.</summary>
    Task<IReadOnlyList<TrendRow>> TrendsAsync(string url, CancellationToken cancellationToken = default);
}
