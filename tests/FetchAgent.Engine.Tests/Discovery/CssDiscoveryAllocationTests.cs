using System.Globalization;
using System.Text;
using FetchAgent.Engine.Discovery.Css;

namespace FetchAgent.Engine.Tests.Discovery;

/// <summary>
/// CSS discovery runs on every stylesheet and <c>&lt;style&gt;</c> of a page, so what it allocates should follow the
/// references it finds, not the size of the sheet. Allocated bytes are deterministic for a given input (unlike
/// timings), so they can be asserted; the bounds are loose, to catch a regression to per-token strings (which
/// allocated ~34 bytes per byte of this sheet), not to pin the current figure (~0.4 bytes per byte).
/// </summary>
public sealed class CssDiscoveryAllocationTests
{
    private static readonly Uri Sheet = new("https://static.example.test/css/big.css");

    private const int References = 20;

    /// <summary>
    /// About 50 KB of ordinary rules (classes, hashes, dimensions, strings, comments, an escape) with
    /// <see cref="References"/> url() references spread through it, one of them escaped and one quoted.
    /// </summary>
    private static string Stylesheet(int approximateLength)
    {
        var css = new StringBuilder("@charset \"utf-8\";\r\n/* generated: fillers and a few backgrounds */\r\n");
        var added = 0;
        for (var j = 0; css.Length < approximateLength || added < References; j++)
        {
            css.Append(CultureInfo.InvariantCulture,
                $".c{j}-item > a:hover, #n{j} {{ margin: {j}px 0 1.5em; color: #{j * 7919 % 0x1000000:x6}; font-family: \"Helvetica Neue\", sans-serif; }} /* rule {j} */\r\n");
            if (j % 15 == 0 && added < References)
            {
                var url = added switch
                {
                    0 => $"url(img/b\\67-{added}.png)", // an escape: \67 is "g"
                    1 => $"url(\"img/bg-{added}.png\")",
                    _ => $"url(img/bg-{added}.png)",
                };
                css.Append(CultureInfo.InvariantCulture, $".bg{added} {{ background: {url} no-repeat; }}\r\n");
                added++;
            }
        }

        return css.ToString();
    }

    /// <summary>
    /// The fewest bytes one discovery allocated over a few runs, after a warm-up. (The minimum, because the
    /// pooled buffer a run rents may once have to be allocated anew if the pool was trimmed between runs.)
    /// </summary>
    private static long AllocatedBytes(Func<int> discover)
    {
        Assert.Equal(References, discover()); // warm-up: JIT, the buffer pool; and the references are all found
        var fewest = long.MaxValue;
        for (var run = 0; run < 3; run++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var found = discover();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.Equal(References, found);
        }

        return fewest;
    }

    [Fact]
    public void A_50_KB_sheet_allocates_less_than_twice_its_size()
    {
        var bytes = Encoding.UTF8.GetBytes(Stylesheet(50_000));

        var allocated = AllocatedBytes(() => CssDiscovery.Discover(bytes, "text/css", Sheet).Count);

        Assert.True(allocated < 2L * bytes.Length, $"discovering {bytes.Length} bytes allocated {allocated} bytes");
    }

    [Fact]
    public void Style_text_allocates_less_than_twice_its_size()
    {
        var text = Stylesheet(50_000); // CRLF line ends: the text needs preprocessing (CSS Syntax 3 §3.3)

        var allocated = AllocatedBytes(() => CssDiscovery.Discover(text, Sheet).Count);

        Assert.True(allocated < 2L * text.Length, $"discovering {text.Length} chars allocated {allocated} bytes");
    }

    [Fact]
    public void Allocation_follows_the_references_not_the_size_of_the_sheet()
    {
        var small = Encoding.UTF8.GetBytes(Stylesheet(50_000));
        var large = Encoding.UTF8.GetBytes(Stylesheet(200_000)); // four times the rules, the same references

        var forSmall = AllocatedBytes(() => CssDiscovery.Discover(small, "text/css", Sheet).Count);
        var forLarge = AllocatedBytes(() => CssDiscovery.Discover(large, "text/css", Sheet).Count);

        // 150 KB more CSS with no reference in it may cost a little (a deeper list, nothing per token): allow 8 KB.
        Assert.True(forLarge - forSmall < 8 * 1024, $"{small.Length} bytes allocated {forSmall}; {large.Length} bytes allocated {forLarge}");
    }
}
