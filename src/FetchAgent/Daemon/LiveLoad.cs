using System.Threading.Channels;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;

namespace FetchAgent.Daemon;

/// <summary>
/// A page load while it runs in the daemon: the objects finished so far, and a stream of them for
/// server-sent events. Readers see either the running snapshot or, once done, the final document.
/// </summary>
public sealed class LiveLoad
{
    private readonly object _sync = new();
    private readonly List<ObjectRecord> _finished = [];
    private readonly List<Channel<ObjectRecord>> _subscribers = [];
    private readonly TaskCompletionSource<PageLoadDocument> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly LoadOverlap? _overlap;
    private readonly CancellationTokenSource _cancel = new();

    /// <param name="overlap">Where the snapshot reads how many loads ran beside this one so far.</param>
    internal LiveLoad(long id, Uri url, LoadOptions options, DateTimeOffset startedAt, LoadOverlap? overlap = null)
    {
        Id = id;
        Url = url;
        Options = options;
        StartedAt = startedAt;
        _overlap = overlap;
    }

    public long Id { get; }
    public Uri Url { get; }
    public LoadOptions Options { get; }

    /// <summary>The request's proxy credentials, for this load only; never stored or shown.</summary>
    internal Engine.Navigation.ProxyCredentials? ProxyUser { get; init; }
    public DateTimeOffset StartedAt { get; }

    /// <summary>Set when the finished load could not be written: the document is kept in memory, as failed.</summary>
    public FetchAgent.Storage.StorageFailure? StoreFailure { get; internal set; }

    /// <summary>The stored document, once the load finished (or failed).</summary>
    public Task<PageLoadDocument> Completion => _completion.Task;

    /// <summary>Cancelled when a client asked for the load to end (DELETE): it ends as <c>cancelled</c>, what was measured kept.</summary>
    public CancellationToken CancelRequested => _cancel.Token;

    /// <summary>Asks the load to end now; it is stored as <c>cancelled</c> (unless it finished first).</summary>
    public void Cancel()
    {
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    internal void ObjectFinished(ObjectRecord record)
    {
        lock (_sync)
        {
            _finished.Add(record);
            foreach (var subscriber in _subscribers)
                subscriber.Writer.TryWrite(record);
        }
    }

    internal void Complete(PageLoadDocument document)
    {
        lock (_sync)
        {
            foreach (var subscriber in _subscribers)
                subscriber.Writer.TryComplete();
            _subscribers.Clear();
        }

        _completion.TrySetResult(document);
    }

    /// <summary>The document as it stands: status running, the objects finished so far; once done, the final document.</summary>
    /// <summary>Issue 17: the agent running the load (its store records it on the stored document).</summary>
    public FetchAgent.Storage.AgentIdentity? Agent { get; init; }

    public PageLoadDocument Snapshot()
    {
        // Between its end and leaving the service's table, a load is read as it ended, never as still running.
        if (_completion.Task.IsCompletedSuccessfully)
            return _completion.Task.Result;
        lock (_sync)
        {
            return new PageLoadDocument
            {
                Id = Id,
                Url = Engine.Page.Redaction.Url(Url),
                StartedAt = StartedAt,
                Status = PageLoadStatus.Running,
                Options = Options,
                Objects = [.. _finished.OrderBy(o => o.Id)],
                ConcurrentLoads = _overlap?.MaxOthers(Id) ?? 0,
                Agent = Agent?.Name,
                Location = Agent?.Location,
            };
        }
    }

    /// <summary>Every finished object: those already done, then each as it finishes, until the load ends.</summary>
    public async IAsyncEnumerable<ObjectRecord> FollowAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<ObjectRecord>(new UnboundedChannelOptions { SingleReader = true });
        lock (_sync)
        {
            foreach (var record in _finished)
                channel.Writer.TryWrite(record);
            if (_completion.Task.IsCompleted)
                channel.Writer.TryComplete();
            else
                _subscribers.Add(channel);
        }

        try
        {
            await foreach (var record in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                yield return record;
        }
        finally
        {
            lock (_sync)
                _subscribers.Remove(channel);
        }
    }
}
