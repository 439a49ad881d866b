using System.IO.Compression;
using System.Text;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Page;

[CollectionDefinition(nameof(AllocationMeasured), DisableParallelization = true)]
public sealed class AllocationMeasured;

/// <summary>
/// A gzip bomb as the page's document: 256 MiB of markup in 256 KB on the wire, with <c>maxBodyBytes</c> at its
/// 4 GiB maximum. Runs alone (no other test allocating beside it), so the process's allocated bytes are the load's.
/// </summary>
[Collection(nameof(AllocationMeasured))]
public sealed class GzipBombTests
{
    private const long Decoded = 256L * 1024 * 1024;
    private const string Head = "<!doctype html><html><body><img src=/before.png>";

    /// <summary>A 1 KiB block of markup: "&lt;p&gt;" and spaces; the bomb is the head, then blocks, then an image no one may reach.</summary>
    private static readonly byte[] Block = Encoding.ASCII.GetBytes("<p>" + new string(' ', 1021));

    [Fact]
    public async Task A_gzip_bomb_document_is_decoded_only_to_the_cap_and_costs_memory_in_proportion_to_it()
    {
        var bomb = Bomb();
        await using var site = new StaticOrigin();
        site.Add("/", new SiteResource("text/html", bomb) { Headers = [("Content-Encoding", "gzip")] })
            .Add("/before.png", SiteResource.Image(10))
            .Add("/after.png", SiteResource.Image(10));
        var options = Sites.Options() with { MaxBodyBytes = 1L << 32 };
        var loader = new PageLoader();
        await loader.LoadAsync(site.Url("/"), options); // JIT and the process warm-up, not measured

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var page = await loader.LoadAsync(site.Url("/"), options);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        var document = page.Objects[0];
        Assert.Equal(bomb.Length, document.BodyBytes); // the wire size
        Assert.Equal(ExpectedParsed(), document.ParsedBytes);
        Assert.Equal(DiscoveryLimit.ParseCap, document.DiscoveryLimit);
        Assert.Equal(["/", "/before.png"], page.Objects.Select(o => new Uri(o.Url).AbsolutePath).Order(StringComparer.Ordinal));
        // Decoding it all would allocate over 256 MiB (1 GiB with a bigger bomb). The cap's worth costs ~9 times the cap
        // (37 MB measured): the decoded bytes (~7 MiB in doubling arrays), their UTF-16 text (8 MiB), and AngleSharp's
        // tree and text nodes for 4096 elements of 1 KiB (~20 MB). 12 times is the bound.
        Assert.True(allocated < 12 * PageMemoryLimits.DefaultMaxParsedBytes, $"allocated {allocated:N0} bytes during the load");
    }

    /// <summary>The decoded bytes up to the cap, read to their last whole tag.</summary>
    private static long ExpectedParsed()
    {
        var cap = PageMemoryLimits.DefaultMaxParsedBytes;
        var inLastBlock = (cap - Head.Length) % Block.Length;
        var lastBlockStart = cap - inLastBlock;
        return inLastBlock >= 3 ? lastBlockStart + 3 : lastBlockStart - Block.Length + 3;
    }

    private static byte[] Bomb()
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.ASCII.GetBytes(Head));
            for (long written = 0; written < Decoded; written += Block.Length)
                gzip.Write(Block);
            gzip.Write("<img src=/after.png></body></html>"u8);
        }

        return output.ToArray();
    }
}
