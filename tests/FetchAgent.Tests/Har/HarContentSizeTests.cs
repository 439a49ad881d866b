using System.Text.Json;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.Har;
using FetchAgent.TestServers;

namespace FetchAgent.Tests.Har;

/// <summary>Issue 14: HAR's <c>content.size</c> is the decoded size and <c>compression</c> what the coding saved, where FetchAgent knows them.</summary>
public sealed class HarContentSizeTests
{
    private static readonly byte[] Pixels = Enumerable.Range(0, 20_000).Select(i => (byte)(i % 5)).ToArray();

    [Fact]
    public async Task Content_size_is_decoded_and_compression_the_saving_and_both_survive_an_import()
    {
        var gz = ContentCodings.Gzip(Pixels);
        var br = ContentCodings.Brotli(Pixels);
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Html("<img src=/plain.png><img src=/gz.png><img src=/br.png>"))
            .Add("/plain.png", new SiteResource("image/png", Pixels))
            .Add("/gz.png", new SiteResource("image/png", gz) { Headers = [("Content-Encoding", "gzip")] })
            .Add("/br.png", new SiteResource("image/png", br) { Headers = [("Content-Encoding", "br")] });
        var document = await new PageLoader().LoadAsync(site.Url("/"), new LoadOptions());
        var json = JsonSerializer.Serialize(HarBuilder.Build(document), HarBuilder.Json);

        var contents = JsonDocument.Parse(json).RootElement.GetProperty("log").GetProperty("entries").EnumerateArray().ToDictionary(
            e => new Uri(e.GetProperty("request").GetProperty("url").GetString()!).AbsolutePath,
            e => (Size: e.GetProperty("response").GetProperty("content").GetProperty("size").GetInt64(),
                  Compression: e.GetProperty("response").GetProperty("content").TryGetProperty("compression", out var c) ? c.GetInt64() : (long?)null,
                  BodySize: e.GetProperty("response").GetProperty("bodySize").GetInt64()));
        Assert.Equal((Pixels.Length, null, Pixels.Length), contents["/plain.png"]);
        Assert.Equal((Pixels.Length, Pixels.Length - gz.Length, gz.Length), contents["/gz.png"]);
        Assert.Equal((br.Length, null, br.Length), contents["/br.png"]); // unknown decoded size: the wire size, no compression

        var (imported, _, _) = HarImporter.Import(JsonDocument.Parse(json).RootElement);
        Assert.Equal(document.Objects.Select(o => (o.Url, o.BodyBytes, o.DecodedBytes)), imported!.Objects.Select(o => (o.Url, o.BodyBytes, o.DecodedBytes)));
        var file = Path.Combine(Directory.CreateTempSubdirectory("fetchagent-har-size-").FullName, "load.har");
        await File.WriteAllTextAsync(file, json);
        await HarValidator.AssertValidAsync([file]);
    }
}
