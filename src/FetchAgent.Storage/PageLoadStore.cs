using FetchAgent.Engine;
using FetchAgent.Engine.Timeline;

namespace FetchAgent.Storage;

/// <summary>Page loads in SQLite (Dapper, plain SQL). A finished load is written in one transaction.</summary>
public sealed class PageLoadStore
{
    public PageLoadStore(Database database) => _ = database;

    /// <summary>Records a load that starts now with status running; returns its id.</summary>
    public Task<long> StartAsync(string url, LoadOptions options, DateTimeOffset startedAt, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Writes the finished document (its <see cref="PageLoadDocument.Id"/> set), objects and connections, in one transaction.</summary>
    public Task CompleteAsync(PageLoadDocument document, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Writes a finished document that was never started in storage (the CLI's --db); sets and returns its id.</summary>
    public Task<long> InsertAsync(PageLoadDocument document, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task<PageLoadDocument?> GetAsync(long id, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task<PageLoadPage> ListAsync(PageLoadQuery query, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>False when there was no such load.</summary>
    public Task<bool> DeleteAsync(long id, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Marks every load still <c>running</c> as <c>failed</c> with the reason (after a crash or shutdown); returns how many.</summary>
    public Task<int> FailRunningAsync(string reason, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task<IReadOnlyList<TrendRow>> TrendsAsync(string url, CancellationToken cancellationToken = default) => throw new NotImplementedException();
}
