using FetchAgent.Engine.Model;

namespace FetchAgent.Tests.Options;

/// <summary>Issue 10, item 3: <c>--help</c> lists every load option from the catalogue, with its range and default.</summary>
public sealed class OptionHelpTests
{
    [Theory]
    [InlineData("load", "--help")]
    [InlineData("compare", "--help")]
    [InlineData("--help")]
    public async Task Help_has_one_line_per_load_option_with_its_range_and_default(params string[] args)
    {
        var (exit, stdout, _) = await Cli.Cli.Run(args);

        Assert.Equal(0, exit);
        var lines = stdout.Split('\n');
        foreach (var option in LoadOptions.Catalog)
        {
            var line = Assert.Single(lines, l => l.StartsWith($"  {option.Flag} ", StringComparison.Ordinal));
            Assert.EndsWith($"default {option.DefaultText})", line);
            if (option.RangeText is { } range)
                Assert.Contains($"({range}", line);
        }
    }

    [Fact]
    public async Task The_lines_name_the_value_each_flag_takes_and_line_up()
    {
        var (_, stdout, _) = await Cli.Cli.Run("load", "--help");
        var lines = stdout.Split('\n').Where(l => LoadOptions.Catalog.Any(o => l.StartsWith($"  {o.Flag} ", StringComparison.Ordinal))).ToList();

        Assert.Equal("  --max-connections-per-host N   open connections per origin at once (1–64; default 2)", lines[1]);
        Assert.Equal("  --max-body-bytes BYTES         per object; past it the object fails with 'body too large' (1–4294967296 bytes; default 52428800)", lines[6]);
        Assert.Equal("  --insecure                     accept any TLS certificate (default off)", lines[7]);
        Assert.Equal("  --strategy NAME                how objects are put on connections (serial, parallel, persistent, pipelined, multiplexed; default persistent)", lines[0]);
    }

    [Fact]
    public async Task Compare_help_names_the_options_it_may_sweep()
    {
        var (_, stdout, _) = await Cli.Cli.Run("compare", "--help");

        Assert.Contains("[--max-connections-per-host 1,2,4 | --pipeline-depth 1,2,4]   (a sweep: every strategy with every value)", stdout);
    }
}
