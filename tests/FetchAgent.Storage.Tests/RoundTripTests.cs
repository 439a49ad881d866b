using System.Text.Json;
using FetchAgent.Engine.Model;
using FetchAgent.TestServers.Samples;

namespace FetchAgent.Storage.Tests;

public sealed class RoundTripTests
{
    private static string Json(PageLoadDocument document) => JsonSerializer.Serialize(document, DocumentJson.Indented);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Awkward_doubles_and_texts_come_back_exactly(string engine)
    {
        // Doubles are bound as doubles, bit for bit (a text round trip through SQLite's own number parser is not
        // exact: 1e-300 came back one unit in the last place off when rows were tried as one JSON array), and texts
        // keep every character. -0.0 is left out: SQLite stores an integral REAL as an integer, so it reads back 0.
        double[] awkward = [0.1 + 0.2, 1e-300, 5e-324, 123456.78901234567, 1.7976931348623157e308, 2.220446049250313e-16, 9007199254740993.0, 1.0 / 3];
        await using var db = await TempDatabase.CreateAsync(engine);
        var document = SampleDocuments.Rich();
        for (var i = 0; i < document.Objects.Count; i++)
        {
            var o = document.Objects[i];
            o.StartMs = awkward[i % awkward.Length];
            o.DiscoveryMs = awkward[(i + 1) % awkward.Length];
            o.Url = $"https://example.test/{i}?q=\"quoted\"&n=\u00e9\u2028\ud83d\ude00\\end";
            o.RequestHeaders = [new("X-Odd", "tab\tnewline\n'single' \"double\"")];
        }

        document.Connections[0].OpenedMs = 0.1 + 0.7;

        var id = await db.PageLoads.InsertAsync(document);
        var stored = (await db.PageLoads.GetAsync(id))!;

        Assert.Equal(document.Objects.Select(o => BitConverter.DoubleToInt64Bits(o.StartMs)), stored.Objects.Select(o => BitConverter.DoubleToInt64Bits(o.StartMs)));
        Assert.Equal(document.Objects.Select(o => o.DiscoveryMs), stored.Objects.Select(o => o.DiscoveryMs));
        Assert.Equal(document.Objects.Select(o => o.Url), stored.Objects.Select(o => o.Url));
        Assert.Equal(document.Objects.Select(o => o.RequestHeaders[0]), stored.Objects.Select(o => o.RequestHeaders[0]));
        Assert.Equal(0.1 + 0.7, stored.Connections[0].OpenedMs);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task An_inserted_document_reads_back_equal_field_by_field(string engine)
    {
        await using var db = await TempDatabase.CreateAsync(engine);
        var document = SampleDocuments.Rich();
        Assert.NotEmpty(document.VisualProgress);

        var id = await db.PageLoads.InsertAsync(document);
        var stored = await db.PageLoads.GetAsync(id);

        Assert.Equal(id, document.Id);
        Assert.NotNull(stored);
        Assert.Equal(Json(document), Json(stored));
        // The JSON above covers the contract; these are the values it could hide by formatting.
        Assert.Equal(document.StartedAt, stored.StartedAt);
        Assert.Equal(document.StartedAt.Ticks, stored.StartedAt.Ticks);
        Assert.Equal(document.Objects[0].EndMs, stored.Objects[0].EndMs);
        Assert.Equal(document.Objects.Select(o => o.ParserBlocking), stored.Objects.Select(o => o.ParserBlocking));
        Assert.Equal(document.Objects.Select(o => o.RedirectUrl), stored.Objects.Select(o => o.RedirectUrl));
        // discoveryMs: exact doubles, 0 kept apart from null (not a discovered object).
        Assert.Equal(document.Objects.Select(o => o.DiscoveryMs), stored.Objects.Select(o => o.DiscoveryMs));
        Assert.Contains(stored.Objects, o => o.DiscoveryMs is null);
        Assert.Contains(stored.Objects, o => o.DiscoveryMs == 0.0);
        // parsedBytes and why (0005): 0 kept apart from null (read whole), both reasons.
        Assert.Equal(document.Objects.Select(o => (o.ParsedBytes, o.DiscoveryLimit)), stored.Objects.Select(o => (o.ParsedBytes, o.DiscoveryLimit)));
        Assert.Contains(stored.Objects, o => o is { ParsedBytes: 0, DiscoveryLimit: DiscoveryLimit.PageBudget });
        Assert.Contains(stored.Objects, o => o is { ParsedBytes: 4_194_303, DiscoveryLimit: DiscoveryLimit.ParseCap });
        Assert.Contains(stored.Objects, o => o is { ParsedBytes: null, DiscoveryLimit: null });
        Assert.Equal(document.Connections.Select(c => c.KeepAlive), stored.Connections.Select(c => c.KeepAlive));
        Assert.Equal(document.Connections.Select(c => c.Error), stored.Connections.Select(c => c.Error));
        Assert.Equal(4, stored.ObjectsNotFetched);
        Assert.Equal(3, stored.ConcurrentLoads);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task A_started_load_is_running_then_completed_with_the_whole_document(string engine)
    {
        await using var db = await TempDatabase.CreateAsync(engine);
        var document = SampleDocuments.Rich();
        var id = await db.PageLoads.StartAsync(document.Url, document.Options, document.StartedAt);

        var running = await db.PageLoads.GetAsync(id);
        Assert.NotNull(running);
        Assert.Equal(PageLoadStatus.Running, running.Status);
        Assert.Equal(document.Options, running.Options);
        Assert.Empty(running.Objects);

        document.Id = id;
        await db.PageLoads.CompleteAsync(document);
        var stored = await db.PageLoads.GetAsync(id);

        Assert.NotNull(stored);
        Assert.Equal(Json(document), Json(stored));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Completing_an_unknown_load_writes_nothing(string engine)
    {
        await using var db = await TempDatabase.CreateAsync(engine);
        var document = SampleDocuments.Rich();
        document.Id = 4242;

        await Assert.ThrowsAsync<KeyNotFoundException>(() => db.PageLoads.CompleteAsync(document));

        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM objects;"));
        Assert.Null(await db.PageLoads.GetAsync(4242));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task A_load_whose_objects_break_a_constraint_is_stored_not_at_all(string engine)
    {
        await using var db = await TempDatabase.CreateAsync(engine);
        var document = SampleDocuments.Rich();
        document.Objects.Add(new ObjectRecord { Id = 1, Url = "http://example.test/duplicate-id" });

        // SQLite's or PostgreSQL's own exception: the engine's words reach the caller, nothing is half-written.
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => db.PageLoads.InsertAsync(document));

        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM page_loads;"));
        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM objects;"));
        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM connections;"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task An_unknown_id_reads_as_null(string engine)
    {
        await using var db = await TempDatabase.CreateAsync(engine);
        Assert.Null(await db.PageLoads.GetAsync(1));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Every_timing_phase_has_its_own_column(string engine)
    {
        await using var db = await TempDatabase.CreateAsync(engine);
        var document = SampleDocuments.Rich();
        await db.PageLoads.InsertAsync(document);

        // The dashboard-style question SQL alone can answer: TLS time per connection opened for an object.
        Assert.Equal(1, await db.ScalarAsync("SELECT count(*) FROM objects WHERE ssl_ms = 6.25 AND connect_ms = 9.5 AND dns_ms = -1;"));
        Assert.Equal(1, await db.ScalarAsync("SELECT count(*) FROM connections WHERE close_reason = 'keep-alive-max' AND keep_alive_max = 100 AND tls_protocol = 'Tls13';"));
        Assert.Equal(1, await db.ScalarAsync("SELECT count(*) FROM page_loads WHERE host = 'example.test' AND strategy = 'pipelined' AND status = 'partial';"));
    }
}
