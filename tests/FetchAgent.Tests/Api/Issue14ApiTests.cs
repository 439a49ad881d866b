using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FetchAgent.TestServers;
using FetchAgent.Tests.Ui;

namespace FetchAgent.Tests.Api;

/// <summary>Issue 14's API: host:port filter, past comparisons, sweeps, trend points, HAR import and its round trip.</summary>
public sealed class Issue14ApiTests
{
    [Fact]
    public async Task A_host_filter_with_a_port_matches_only_that_port()
    {
        await using var one = UiSite.Create(TimeSpan.Zero);
        await using var two = UiSite.Create(TimeSpan.Zero);
        await using var daemon = await Daemon.StartAsync();
        var first = await UiSite.LoadAsync(daemon, one);
        await UiSite.LoadAsync(daemon, two);

        var list = await daemon.JsonAsync(await daemon.Client.GetAsync($"/api/page-loads?host=127.0.0.1:{one.Port}"));
        Assert.Equal([first.GetProperty("id").GetInt64()], list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        var both = await daemon.JsonAsync(await daemon.Client.GetAsync("/api/page-loads?host=127.0.0.1"));
        Assert.Equal(2, both.GetProperty("items").GetArrayLength());
        var none = await daemon.JsonAsync(await daemon.Client.GetAsync("/api/page-loads?host=127.0.0.1:1"));
        Assert.Equal(0, none.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Comparisons_are_listed_newest_first_and_a_sweep_runs_every_strategy_with_every_value()
    {
        await using var site = UiSite.Create(TimeSpan.Zero);
        await using var daemon = await Daemon.StartAsync();
        var plain = await daemon.JsonAsync(await daemon.Client.PostAsJsonAsync("/api/comparisons", new { url = site.Url("/").AbsoluteUri, strategies = new[] { "serial" } }));
        var response = await daemon.Client.PostAsJsonAsync("/api/comparisons", new { url = site.Url("/").AbsoluteUri, strategies = new[] { "parallel", "persistent" }, maxConnectionsPerHost = new[] { 1, 4 } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var sweep = await daemon.JsonAsync(response);

        Assert.Equal("maxConnectionsPerHost", sweep.GetProperty("sweep").GetProperty("option").GetString());
        Assert.Equal([1, 4], sweep.GetProperty("sweep").GetProperty("values").EnumerateArray().Select(v => v.GetInt32()));
        var rows = sweep.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["parallel@1", "persistent@1", "parallel@4", "persistent@4"], rows.Select(r => $"{r.GetProperty("strategy").GetString()}@{r.GetProperty("sweepValue").GetInt32()}"));
        foreach (var row in rows)
        {
            var doc = await daemon.JsonAsync(await daemon.Client.GetAsync($"/api/page-loads/{row.GetProperty("pageLoadId")}"));
            Assert.Equal(row.GetProperty("sweepValue").GetInt32(), doc.GetProperty("options").GetProperty("maxConnectionsPerHost").GetInt32());
            Assert.Equal(row.GetProperty("strategy").GetString(), doc.GetProperty("options").GetProperty("strategy").GetString());
        }

        Assert.Equal(["parallel@1", "persistent@1", "parallel@4", "persistent@4"],
            sweep.GetProperty("summary").EnumerateArray().Select(s => $"{s.GetProperty("strategy").GetString()}@{s.GetProperty("sweepValue").GetInt32()}"));
        Assert.Equal(JsonValueKind.Null, plain.GetProperty("sweep").ValueKind);

        var list = await daemon.JsonAsync(await daemon.Client.GetAsync("/api/comparisons"));
        var items = list.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([sweep.GetProperty("id").GetInt64(), plain.GetProperty("id").GetInt64()], items.Select(i => i.GetProperty("id").GetInt64()));
        Assert.Equal(["parallel", "persistent"], items[0].GetProperty("strategies").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(4, items[0].GetProperty("loads").GetInt32());
        Assert.Equal([1, 4], items[0].GetProperty("sweep").GetProperty("values").EnumerateArray().Select(v => v.GetInt32()));
    }

    [Fact]
    public async Task A_bad_sweep_is_a_400_naming_the_option()
    {
        await using var daemon = await Daemon.StartAsync();
        async Task<JsonElement> Errors(object body)
        {
            var response = await daemon.Client.PostAsJsonAsync("/api/comparisons", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return (await daemon.JsonAsync(response)).GetProperty("errors");
        }

        Assert.True((await Errors(new { url = "http://127.0.0.1:1/", strategies = new[] { "persistent" }, maxConnectionsPerHost = new[] { 1, 2 }, pipelineDepth = new[] { 1, 2 } })).TryGetProperty("pipelineDepth", out _));
        Assert.Contains("0", (await Errors(new { url = "http://127.0.0.1:1/", strategies = new[] { "persistent" }, maxConnectionsPerHost = new[] { 0, 2 } })).GetProperty("maxConnectionsPerHost")[0].GetString());
        Assert.True((await Errors(new { url = "http://127.0.0.1:1/", strategies = new[] { "persistent" }, pipelineDepth = Array.Empty<int>() })).TryGetProperty("pipelineDepth", out _));
    }

    [Fact]
    public async Task Trends_carry_every_load_as_a_point_oldest_first()
    {
        await using var site = UiSite.Create(TimeSpan.Zero);
        await using var daemon = await Daemon.StartAsync();
        var a = await UiSite.LoadAsync(daemon, site, "serial");
        var b = await UiSite.LoadAsync(daemon, site, "persistent");
        var url = site.Url("/").AbsoluteUri;

        var trends = await daemon.JsonAsync(await daemon.Client.GetAsync($"/api/trends?url={Uri.EscapeDataString(url)}"));
        var points = trends.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal([a.GetProperty("id").GetInt64(), b.GetProperty("id").GetInt64()], points.Select(p => p.GetProperty("pageLoadId").GetInt64()));
        Assert.Equal(a.GetProperty("metrics").GetProperty("actualMs").GetDouble(), points[0].GetProperty("actualMs").GetDouble());
        Assert.Equal("persistent", points[1].GetProperty("strategy").GetString());
    }

    [Fact]
    public async Task Every_HAR_entry_has_Chromes_resource_type_initiator_and_priority_and_the_page_title_is_the_documents()
    {
        await using var site = UiSite.Create(TimeSpan.Zero);
        await using var daemon = await Daemon.StartAsync();
        var doc = await UiSite.LoadAsync(daemon, site);
        var har = await daemon.JsonAsync(await daemon.Client.GetAsync($"/api/page-loads/{doc.GetProperty("id")}/har"));

        Assert.Equal("UI site", doc.GetProperty("title").GetString()); // UiSite's <title>
        Assert.Equal("UI site", har.GetProperty("log").GetProperty("pages")[0].GetProperty("title").GetString());
        var objects = doc.GetProperty("objects").EnumerateArray().ToDictionary(o => o.GetProperty("id").GetInt32());
        foreach (var entry in har.GetProperty("log").GetProperty("entries").EnumerateArray())
        {
            var o = objects[entry.GetProperty("_fetchAgent").GetProperty("objectId").GetInt32()];
            var kind = o.GetProperty("kind").GetString();
            Assert.Equal(kind switch { "document" => "document", "stylesheet" => "stylesheet", "script" => "script", "image" => "image", _ => "other" }, entry.GetProperty("_resourceType").GetString());
            // The priority the request went out at, as the document stored it (an image boosted to Medium too).
            Assert.Equal(o.GetProperty("priority").GetString(), entry.GetProperty("_priority").GetString());
            Assert.Contains(entry.GetProperty("_priority").GetString(), new[] { "VeryHigh", "High", "Medium", "Low", "VeryLow" });
            var initiator = entry.GetProperty("_initiator");
            // A reference found in a document or stylesheet names it; a navigation or a redirect hop is "other", as in Chrome.
            if (o.GetProperty("initiator").GetString() is "parser" or "css")
            {
                Assert.Equal("parser", initiator.GetProperty("type").GetString());
                Assert.Equal(objects[o.GetProperty("parentId").GetInt32()].GetProperty("url").GetString(), initiator.GetProperty("url").GetString());
            }
            else
            {
                Assert.Equal("other", initiator.GetProperty("type").GetString());
            }
        }
    }

    [Fact]
    public async Task An_exported_HAR_imported_again_gives_the_same_waterfall()
    {
        await using var site = UiSite.Create(TimeSpan.FromMilliseconds(20));
        await using var daemon = await Daemon.StartAsync();
        var original = await UiSite.LoadAsync(daemon, site);
        var har = await (await daemon.Client.GetAsync($"/api/page-loads/{original.GetProperty("id")}/har")).Content.ReadAsStringAsync();

        var response = await daemon.Client.PostAsync("/api/hars", new StringContent(har, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await daemon.JsonAsync(response);
        Assert.Equal($"/api/page-loads/{created.GetProperty("id")}", response.Headers.Location!.OriginalString);
        var imported = await daemon.JsonAsync(await daemon.Client.GetAsync(response.Headers.Location));

        Assert.NotEqual(original.GetProperty("id").GetInt64(), imported.GetProperty("id").GetInt64());
        Assert.StartsWith("FetchAgent", imported.GetProperty("importedFrom").GetString());
        foreach (var field in new[] { "url", "finalUrl", "status", "error", "concurrentLoads" })
            Assert.Equal(original.GetProperty(field).ToString(), imported.GetProperty(field).ToString());
        Assert.Equal(original.GetProperty("metrics").ToString(), imported.GetProperty("metrics").ToString());
        Assert.Equal(original.GetProperty("options").GetProperty("strategy").GetString(), imported.GetProperty("options").GetProperty("strategy").GetString());
        var before = original.GetProperty("objects").EnumerateArray().ToList();
        var after = imported.GetProperty("objects").EnumerateArray().ToList();
        Assert.Equal(before.Count, after.Count);
        string[] fields = ["id", "url", "method", "kind", "initiator", "parentId", "renderBlocking", "parserBlocking", "connectionId", "reusedConnection", "retries",
            "startMs", "endMs", "time", "timings", "httpVersion", "status", "error", "contentType", "headerBytes", "bodyBytes", "discoveryMs", "redirectUrl", "requestHeaders", "responseHeaders"];
        for (var i = 0; i < before.Count; i++)
        {
            foreach (var field in fields)
                Assert.True(before[i].GetProperty(field).ToString() == after[i].GetProperty(field).ToString(), $"object {i + 1} {field}: {before[i].GetProperty(field)} became {after[i].GetProperty(field)}");
        }

        var connections = (original: original.GetProperty("connections").EnumerateArray().ToList(), imported: imported.GetProperty("connections").EnumerateArray().ToList());
        Assert.Equal(connections.original.Count, connections.imported.Count);
        for (var i = 0; i < connections.original.Count; i++)
        {
            foreach (var field in new[] { "id", "host", "port", "localPort", "remotePort", "openedMs", "closedMs", "requests", "closeReason" })
                Assert.Equal(connections.original[i].GetProperty(field).ToString(), connections.imported[i].GetProperty(field).ToString());
        }

        // Imported loads stay out of the trends.
        var trends = await daemon.JsonAsync(await daemon.Client.GetAsync($"/api/trends?url={Uri.EscapeDataString(original.GetProperty("url").GetString()!)}"));
        Assert.Equal(1, trends.GetProperty("points").GetArrayLength());
    }

    [Fact]
    public async Task A_browser_HAR_becomes_objects_with_kinds_phases_and_connections_from_its_connection_ids()
    {
        await using var daemon = await Daemon.StartAsync();
        const string har = """
            { "log": { "version": "1.2", "creator": { "name": "WebInspector", "version": "537.36" },
              "pages": [ { "startedDateTime": "2026-11-21T10:00:00.000Z", "id": "page_7", "title": "Example Domain", "pageTimings": { "onContentLoad": 180.5, "onLoad": 260.25 } } ],
              "entries": [
                { "pageref": "page_7", "startedDateTime": "2026-11-21T10:00:00.000Z", "time": 120,
                  "request": { "method": "GET", "url": "https://example.test/", "httpVersion": "h2", "headers": [], "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0 },
                  "response": { "status": 200, "statusText": "", "httpVersion": "h2", "headers": [ { "name": "content-type", "value": "text/html" } ], "cookies": [],
                    "content": { "size": 1256, "mimeType": "text/html" }, "redirectURL": "", "headersSize": -1, "bodySize": 648 },
                  "cache": {}, "timings": { "blocked": 2, "dns": 10, "connect": 40, "ssl": 25, "send": 1, "wait": 60, "receive": 7 },
                  "serverIPAddress": "192.0.2.1", "connection": "4711", "_resourceType": "document", "_priority": "VeryHigh", "_initiator": { "type": "other" } },
                { "pageref": "page_7", "startedDateTime": "2026-11-21T10:00:00.130Z", "time": 50,
                  "request": { "method": "GET", "url": "https://example.test/site.css", "httpVersion": "h2", "headers": [], "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0 },
                  "response": { "status": 200, "statusText": "", "httpVersion": "h2", "headers": [], "cookies": [],
                    "content": { "size": 3000, "mimeType": "text/css" }, "redirectURL": "", "headersSize": -1, "bodySize": 900 },
                  "cache": {}, "timings": { "blocked": 1, "dns": -1, "connect": -1, "ssl": -1, "send": 0.5, "wait": 40, "receive": 8.5 },
                  "connection": "4711", "_resourceType": "stylesheet", "_priority": "VeryHigh", "_initiator": { "type": "parser", "url": "https://example.test/" } },
                { "pageref": "page_7", "startedDateTime": "2026-11-21T10:00:00.140Z", "time": 30,
                  "request": { "method": "GET", "url": "https://cdn.example.test/logo.png", "httpVersion": "h2", "headers": [], "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0 },
                  "response": { "status": 404, "statusText": "", "httpVersion": "h2", "headers": [], "cookies": [],
                    "content": { "size": 10, "mimeType": "image/png" }, "redirectURL": "", "headersSize": -1, "bodySize": 10 },
                  "cache": {}, "timings": { "blocked": 0, "dns": 5, "connect": 10, "ssl": 5, "send": 1, "wait": 10, "receive": 4 },
                  "connection": "5000", "_resourceType": "image", "_priority": "Medium", "_initiator": { "type": "parser", "url": "https://example.test/" } }
              ] } }
            """;
        var response = await daemon.Client.PostAsync("/api/hars", new StringContent(har, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var doc = await daemon.JsonAsync(response);

        Assert.Equal("WebInspector 537.36", doc.GetProperty("importedFrom").GetString());
        Assert.Equal("Example Domain", doc.GetProperty("title").GetString());
        Assert.Equal("completed", doc.GetProperty("status").GetString());
        var objects = doc.GetProperty("objects").EnumerateArray().ToList();
        Assert.Equal(["document", "stylesheet", "image"], objects.Select(o => o.GetProperty("kind").GetString()));
        // Chrome's _priority as it was: an image it boosted stays Medium, where its kind alone would say Low.
        Assert.Equal(["VeryHigh", "VeryHigh", "Medium"], objects.Select(o => o.GetProperty("priority").GetString()));
        Assert.Equal([0.0, 130, 140], objects.Select(o => o.GetProperty("startMs").GetDouble()));
        Assert.Equal([120.0, 180, 170], objects.Select(o => o.GetProperty("endMs").GetDouble()));
        Assert.Equal([1, 1, 2], objects.Select(o => o.GetProperty("connectionId").GetInt32()));
        Assert.Equal([false, true, false], objects.Select(o => o.GetProperty("reusedConnection").GetBoolean()));
        Assert.True(objects[1].GetProperty("renderBlocking").GetBoolean());
        Assert.Equal(1, objects[1].GetProperty("parentId").GetInt32());
        Assert.Equal(60, objects[0].GetProperty("timings").GetProperty("wait").GetDouble());
        Assert.Equal(404, objects[2].GetProperty("status").GetInt32());
        var connections = doc.GetProperty("connections").EnumerateArray().ToList();
        Assert.Equal(2, connections.Count);
        Assert.Equal(["example.test", "cdn.example.test"], connections.Select(c => c.GetProperty("host").GetString()));
        Assert.Equal(2, connections[0].GetProperty("requests").GetInt32());
        Assert.Equal(180.5, doc.GetProperty("metrics").GetProperty("domContentLoadedMs").GetDouble());
        Assert.Equal(260.25, doc.GetProperty("metrics").GetProperty("onLoadMs").GetDouble());

        var list = await daemon.JsonAsync(await daemon.Client.GetAsync("/api/page-loads?url=https://example.test/"));
        Assert.Equal("WebInspector 537.36", list.GetProperty("items")[0].GetProperty("importedFrom").GetString());
    }

    [Fact]
    public async Task A_HAR_without_entries_is_a_400_naming_the_field()
    {
        await using var daemon = await Daemon.StartAsync();
        var response = await daemon.Client.PostAsync("/api/hars", new StringContent("""{ "log": { "entries": [] } }""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await daemon.JsonAsync(response)).GetProperty("errors").TryGetProperty("log.entries", out _));
        var notJson = await daemon.Client.PostAsync("/api/hars", new StringContent("{", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        var form = await daemon.Client.PostAsync("/api/hars", new StringContent("{}", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
    }
}
