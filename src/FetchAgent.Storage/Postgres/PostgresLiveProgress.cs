using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Dapper;
using FetchAgent.Engine.Model;

namespace FetchAgent.Storage.Postgres;

/// <summary>
/// Live progress through PostgreSQL (<c>live_objects</c>, migrations/postgresql/0004): the running agent writes each
/// finished object as a row and sends <c>NOTIFY fetchagent_live</c> with the load's id (<c>ID</c>), and once the load
/// is stored removes its rows and sends <c>ID:done</c>. A NOTIFY payload is at most 8000 bytes, so it carries only the
/// id; the record is read from the table. A follower reads the rows after the last it read whenever it is notified,
/// when the listening session comes back after a break, and every <see cref="Poll"/> in any case, so a lost
/// notification delays it at most that long and never hangs it.
/// </summary>
internal sealed class PostgresLiveProgress(PostgresDatabase database, IPageLoadStore store, AgentIdentity agent) : ILiveProgress
{
    public const string Channel = "fetchagent_live";

    /// <summary>How long a follower waits for a notification before it reads the table anyway.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);

    // The attempt is the queue's (the row names this agent while it holds the load); 1 for a load never queued.
    // A load deleted meanwhile has no row to follow: its objects are dropped, not an error.
    private const string InsertObjects =
        "INSERT INTO live_objects (page_load_id, attempt, agent, record) " +
        "SELECT u.id, COALESCE(q.attempts, 1), @agent, u.record " +
        "FROM unnest(@ids, @records) WITH ORDINALITY AS u(id, record, n) " +
        "JOIN page_loads p ON p.id = u.id " +
        "LEFT JOIN load_queue q ON q.page_load_id = u.id AND q.agent = @agent " +
        "ORDER BY u.n;";

    private const string Announce =
        "DELETE FROM live_objects WHERE page_load_id = ANY(@ended); " +
        $"SELECT pg_notify('{Channel}', p) FROM unnest(@payloads) WITH ORDINALITY AS u(p, n) ORDER BY u.n;";

    private const string ReadNew =
        "SELECT seq, attempt, agent, record FROM live_objects WHERE page_load_id = @id AND seq > @last ORDER BY seq;";

    /// <summary>The payload that says load <paramref name="id"/> is stored.</summary>
    public static string DonePayload(long id) => Id(id) + ":done";

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    /// <remarks>
    /// Not through <see cref="PostgresDatabase.WriteAsync{T}"/>: progress is not a load's write, so it neither makes
    /// <c>/healthz</c> unhealthy nor clears a failure a load's write found.
    /// </remarks>
    public async Task PublishAsync(IReadOnlyList<LiveProgressNote> notes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notes);
        if (notes.Count == 0)
            return;
        var objects = notes.Where(n => !n.Ended).ToList();
        var ended = notes.Where(n => n.Ended).Select(n => n.PageLoadId).Distinct().ToArray();
        // One announcement per load with news, in the order of its first note; a load that ended says so once, last.
        var payloads = notes.Select(n => n.PageLoadId).Distinct().Where(id => !ended.Contains(id)).Select(Id)
            .Concat(ended.Select(DonePayload)).ToArray();

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (objects.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(InsertObjects, new
            {
                agent = agent.Name,
                ids = objects.Select(n => n.PageLoadId).ToArray(),
                records = objects.Select(n => JsonSerializer.Serialize(n.Object, DocumentJson.Options)).ToArray(),
            }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        await connection.ExecuteAsync(new CommandDefinition(Announce, new { ended, payloads }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        // Notifications go out at commit, after the rows they announce are visible.
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<LiveProgressEvent> FollowAsync(long id, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var news = new SemaphoreSlim(0, 1);
        var reconnected = 0;
        var doneAnnounced = 0;
        var idText = Id(id);
        var done = DonePayload(id);
        void Wake()
        {
            lock (news)
            {
                if (news.CurrentCount == 0)
                    news.Release();
            }
        }

        using var subscription = database.Notifications.Subscribe(Channel, payload =>
        {
            if (payload == done)
                Volatile.Write(ref doneAnnounced, 1);
            if (payload == idText || payload == done)
                Wake();
        }, () =>
        {
            Volatile.Write(ref reconnected, 1);
            Wake();
        });
        // Listening before the first read, so nothing finishes between the read and the LISTEN unseen; a session
        // that cannot be made now leaves the follower to its polls.
        await Task.WhenAny(database.Notifications.Listening, Task.Delay(Poll, cancellationToken)).ConfigureAwait(false);

        long last = 0;
        long attempt = 0;
        string? attemptAgent = null;
        var seen = new HashSet<int>();
        while (true)
        {
            if (Interlocked.Exchange(ref reconnected, 0) == 1)
                yield return new LiveProgressEvent.Resumed("the database's notifications were interrupted and are back; what was missed was read from the table");
            var announcedDone = Volatile.Read(ref doneAnnounced) == 1;
            var (rows, status) = await ReadAsync(id, last, cancellationToken).ConfigureAwait(false);
            foreach (var row in rows)
            {
                last = row.Seq;
                if (row.Attempt < attempt)
                    continue; // a lost attempt's late row
                if (row.Attempt > attempt)
                {
                    if (attempt != 0)
                    {
                        yield return new LiveProgressEvent.Restarted(checked((int)row.Attempt), row.Agent);
                        seen.Clear();
                    }

                    attempt = row.Attempt;
                    attemptAgent = row.Agent;
                }

                var record = JsonSerializer.Deserialize<ObjectRecord>(row.Record, DocumentJson.Options)!;
                seen.Add(record.Id);
                yield return new LiveProgressEvent.ObjectFinished(record);
            }

            if (status is null)
            {
                yield return new LiveProgressEvent.Interrupted($"page load {id} was deleted while it ran");
                yield break;
            }

            if (status != "running")
            {
                var document = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
                if (document is null)
                {
                    yield return new LiveProgressEvent.Interrupted($"page load {id} was deleted once it ended");
                    yield break;
                }

                // Objects whose rows went before this follower read them (the load ended meanwhile) come from the
                // stored document; a run by another agent than the one followed started over.
                if (attemptAgent is not null && document.Agent is { } ranBy && ranBy != attemptAgent)
                {
                    yield return new LiveProgressEvent.Restarted(checked((int)attempt + 1), ranBy);
                    seen.Clear();
                }

                foreach (var record in document.Objects.Where(o => !seen.Contains(o.Id)).OrderBy(o => o.Id))
                    yield return new LiveProgressEvent.ObjectFinished(record);
                yield return new LiveProgressEvent.Ended(document);
                yield break;
            }

            if (announcedDone)
            {
                // Its agent said it ended, yet the row is still running: that agent could not store it.
                yield return new LiveProgressEvent.Interrupted($"page load {id} ended but its agent could not store it; that agent keeps it in memory until it restarts");
                yield break;
            }

            await news.WaitAsync(Poll, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task<(List<LiveRow> Rows, string? Status)> ReadAsync(long id, long last, CancellationToken cancellationToken) =>
        // One snapshot: a load read as ended has every row it had before it ended.
        database.ReadAsync(async (connection, transaction, ct) =>
        {
            var status = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT status FROM page_loads WHERE id = @id;", new { id }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            var rows = (await connection.QueryAsync<LiveRow>(new CommandDefinition(ReadNew, new { id, last }, transaction, cancellationToken: ct)).ConfigureAwait(false)).ToList();
            return (rows, status);
        }, cancellationToken);

    private sealed class LiveRow
    {
        public long Seq { get; set; }
        public long Attempt { get; set; }
        public string Agent { get; set; } = "";
        public string Record { get; set; } = "";
    }
}
