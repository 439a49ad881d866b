using System.Threading.Channels;
using FetchAgent.Storage;

namespace FetchAgent.Daemon;

/// <summary>
/// Issue 17: hands this agent's live progress to the database, so <c>/events</c> on any other agent can follow
/// its loads (PostgreSQL; with SQLite there is nothing to hand on and it does nothing). It follows each load as a
/// local <c>/events</c> client does (<see cref="LiveLoad.FollowAsync"/>), so the load itself only drops each finished
/// object into a channel, as it always did: no database write is inside any phase. One writer drains the notes in
/// batches, each batch one transaction, so a page of many objects costs a few writes, not one per object. The load's
/// end is noted after its last object and once it is stored, so a follower that hears it finds the stored document.
/// </summary>
public sealed partial class LiveProgressRelay : IAsyncDisposable
{
    /// <summary>Most notes written in one transaction.</summary>
    private const int MaxBatch = 500;

    private readonly ILiveProgress? _progress;
    private readonly ILogger<LiveProgressRelay> _logger;
    private readonly Channel<LiveProgressNote> _notes = Channel.CreateUnbounded<LiveProgressNote>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public LiveProgressRelay(Stores stores, ILogger<LiveProgressRelay> logger)
    {
        _progress = stores.LiveProgress;
        _logger = logger;
        _writer = _progress is null ? Task.CompletedTask : Task.Run(WriteAsync);
    }

    /// <summary>Publishes <paramref name="live"/>'s objects as they finish, then its end.</summary>
    public void Follow(LiveLoad live)
    {
        if (_progress is null)
            return;
        _ = Task.Run(async () =>
        {
            await foreach (var record in live.FollowAsync(CancellationToken.None).ConfigureAwait(false))
                _notes.Writer.TryWrite(new LiveProgressNote(live.Id, record));
            await live.Completion.ConfigureAwait(false);
            _notes.Writer.TryWrite(new LiveProgressNote(live.Id, null));
        });
    }

    private async Task WriteAsync()
    {
        var batch = new List<LiveProgressNote>();
        while (await _notes.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && _notes.Reader.TryRead(out var note))
                batch.Add(note);
            try
            {
                await _progress!.PublishAsync(batch).ConfigureAwait(false);
            }
            catch (Exception e) when (StorageFailure.From(e) is { } failure)
            {
                // Followers elsewhere read the objects from the stored document once the load is stored, and poll
                // the load's status, so a lost batch delays them; it never hangs them or touches the load.
                LogPublishFailed(batch.Count, failure.Cause);
            }

            batch.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _notes.Writer.TryComplete();
        // What is noted by now goes out, unless the database does not answer.
        await _writer.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "live progress: {Count} notes not published: {Cause}")]
    private partial void LogPublishFailed(int count, string cause);
}
