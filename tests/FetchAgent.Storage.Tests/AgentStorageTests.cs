using FetchAgent.Engine.Model;
using FetchAgent.TestServers.Samples;

namespace FetchAgent.Storage.Tests;

/// <summary>Issue 17, item 2: each stored load names the agent that ran it and its location, in the document and the list.</summary>
public sealed class AgentStorageTests
{
    private static readonly AgentIdentity Paris = new("agent-paris", "eu-west");

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task A_load_names_the_agent_and_location_that_stored_it_from_its_start_to_its_end(string engine)
    {
        await using var db = await TempDatabase.CreateAsync(engine, Paris);
        var document = SampleDocuments.Rich();
        document.Id = await db.PageLoads.StartAsync(document.Url, document.Options, document.StartedAt);

        var running = await db.PageLoads.GetAsync(document.Id);
        Assert.Equal(("agent-paris", "eu-west"), (running!.Agent, running.Location));

        await db.PageLoads.CompleteAsync(document);
        var imported = SampleDocuments.Rich();
        imported.Agent = "agent-elsewhere";
        var insertedId = await db.PageLoads.InsertAsync(imported);

        var stored = await db.PageLoads.GetAsync(document.Id);
        Assert.Equal(("agent-paris", "eu-west"), (stored!.Agent, stored.Location));
        var items = (await db.PageLoads.ListAsync(new PageLoadQuery())).Items;
        Assert.Equal(
            [(insertedId, "agent-elsewhere", (string?)null), (document.Id, "agent-paris", "eu-west")],
            items.Select(i => (i.Id, i.Agent, i.Location)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task A_store_without_an_agent_records_none(string engine)
    {
        await using var db = await TempDatabase.CreateAsync(engine);
        var id = await db.PageLoads.InsertAsync(SampleDocuments.Rich());

        var stored = await db.PageLoads.GetAsync(id);
        Assert.Equal(((string?)null, (string?)null), (stored!.Agent, stored.Location));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task The_agents_list_holds_the_last_heartbeat(string engine)
    {
        await using var db = await TempDatabase.CreateAsync(engine, Paris);
        var started = SampleDocuments.Noon;

        await db.Agents.HeartbeatAsync(new AgentHeartbeat(Paris, "cable", 2, 1, started, started.AddSeconds(5)));
        await db.Agents.HeartbeatAsync(new AgentHeartbeat(Paris, "cable", 2, 0, started, started.AddSeconds(10)));

        Assert.Equal(
            [new AgentStatus("agent-paris", "eu-west", "cable", 2, 0, started, started.AddSeconds(10))],
            await db.Agents.ListAsync());
    }

    [Fact]
    public async Task PostgreSQL_lists_every_agent_sharing_the_database_and_fails_only_its_own_running_loads()
    {
        await using var paris = await TempDatabase.CreateAsync("postgresql", Paris);
        var tokyo = new AgentIdentity("agent-tokyo", "ap-northeast");
        await using var tokyoDatabase = new FetchAgent.Storage.Postgres.PostgresDatabase(FetchAgent.TestServers.TestPostgres.ConnectionString(paris.PostgresName));
        var tokyoLoads = new FetchAgent.Storage.Postgres.PostgresPageLoadStore(tokyoDatabase, tokyo);
        var tokyoAgents = new FetchAgent.Storage.Postgres.PostgresAgentStore(tokyoDatabase);
        var t = SampleDocuments.Noon;

        var parisRunning = await paris.PageLoads.StartAsync("http://a.test/", new LoadOptions(), t);
        var tokyoRunning = await tokyoLoads.StartAsync("http://b.test/", new LoadOptions(), t.AddSeconds(1));
        await paris.Agents.HeartbeatAsync(new AgentHeartbeat(Paris, null, 1, 1, t, t.AddSeconds(2)));
        await tokyoAgents.HeartbeatAsync(new AgentHeartbeat(tokyo, "3g", 4, 1, t, t.AddSeconds(3)));

        // Tokyo restarts: its own load is failed, Paris's keeps running.
        Assert.Equal(1, await tokyoLoads.FailRunningAsync("daemon stopped while the load was running"));

        Assert.Equal(PageLoadStatus.Running, (await paris.PageLoads.GetAsync(parisRunning))!.Status);
        Assert.Equal(PageLoadStatus.Failed, (await paris.PageLoads.GetAsync(tokyoRunning))!.Status);
        Assert.Equal(
            [
                new AgentStatus("agent-paris", "eu-west", null, 1, 1, t, t.AddSeconds(2)),
                new AgentStatus("agent-tokyo", "ap-northeast", "3g", 4, 1, t, t.AddSeconds(3)),
            ],
            await paris.Agents.ListAsync());
    }
}
