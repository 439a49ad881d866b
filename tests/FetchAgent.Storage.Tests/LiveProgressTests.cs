using FetchAgent.Engine.Model;
using FetchAgent.Storage.Postgres;
using FetchAgent.TestServers;
using FetchAgent.TestServers.Samples;

namespace FetchAgent.Storage.Tests;

/// <summary>
/// Issue 17: live progress through PostgreSQL between two agents' stores (each its own data source and listening
/// session, as two processes have): what one publishes, the other follows.
/// </summary>
public sealed class LiveProgressTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_object_bigger_than_a_notify_payload_reaches_the_follower_whole_then_the_end_with_no_object_twice()
    {
        await using var db = await TempDatabase.CreateAsync("postgresql");
        var connection = TestPostgres.ConnectionString(db.PostgresName);
        var runner = StorageFactory.Create(connection, new AgentIdentity("agent-a"));
        var follower = StorageFactory.Create(connection, new AgentIdentity("agent-b"));
        try
        {
            var document = SampleDocuments.Rich();
            document.Id = await runner.PageLoads.StartAsync(document.Url, document.Options, document.StartedAt);
            // NOTIFY refuses payloads of 8000 bytes and more: this record could never travel in one.
            var big = document.Objects[0];
            big.Url = document.Url + "?" + new string('q', 20_000);

            await using var events = follower.LiveProgress!.FollowAsync(document.Id).GetAsyncEnumerator();
            var first = events.MoveNextAsync().AsTask();
            await runner.LiveProgress!.PublishAsync([new LiveProgressNote(document.Id, big)]);
            Assert.True(await first.WaitAsync(Deadline));
            var finished = Assert.IsType<LiveProgressEvent.ObjectFinished>(events.Current);
            Assert.Equal((big.Id, big.Url), (finished.Object.Id, finished.Object.Url));

            await runner.PageLoads.CompleteAsync(document);
            await runner.LiveProgress.PublishAsync([new LiveProgressNote(document.Id, null)]);
            var rest = new List<LiveProgressEvent>();
            while (await events.MoveNextAsync().AsTask().WaitAsync(Deadline))
                rest.Add(events.Current);

            // The stored document's other objects (not the one already sent), in id order, then the end.
            Assert.Equal(
                document.Objects.Skip(1).Select(o => o.Id).Order().Select(id => $"object {id}").Append($"ended {DocumentJson.Name(document.Status)}"),
                rest.Select(e => e switch
                {
                    LiveProgressEvent.ObjectFinished o => $"object {o.Object.Id}",
                    LiveProgressEvent.Ended end => $"ended {DocumentJson.Name(end.Document.Status)}",
                    _ => e.ToString(),
                }));
        }
        finally
        {
            await ((PostgresDatabase)runner.Database).DisposeAsync();
            await ((PostgresDatabase)follower.Database).DisposeAsync();
        }
    }
}
