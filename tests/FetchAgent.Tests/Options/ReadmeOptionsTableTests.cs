using FetchAgent.Engine.Model;

namespace FetchAgent.Tests.Options;

/// <summary>
/// Issue 10, item 3: README's options table ("Command line") says what the catalogue says. A new option without its
/// row, or a default or range changed on one side only, fails here with the row the table should have.
/// </summary>
public sealed class ReadmeOptionsTableTests
{
    [Fact]
    public void The_load_options_open_the_table_in_the_catalogues_order()
    {
        var rows = Rows();

        Assert.Equal(LoadOptions.Catalog.Select(o => o.Flag), rows.Take(LoadOptions.Catalog.Count).Select(r => r.Option));
        Assert.Equal("--runs", rows[LoadOptions.Catalog.Count].Option);
    }

    [Fact]
    public void Each_rows_default_and_range_are_the_catalogues()
    {
        var rows = Rows().ToDictionary(r => r.Option);
        foreach (var option in LoadOptions.Catalog)
        {
            var suggested = $"| `{option.Flag}` | {option.DefaultText} | {option.Help}{(option.RangeText is { } r ? $" ({r})" : "")} |";
            Assert.True(rows.TryGetValue(option.Flag, out var row), $"README has no row for {option.Flag}: {suggested}");
            Assert.Equal((option.Flag, option.DefaultText), (option.Flag, row.Default));
            // A number's range in parentheses, (1–64); a choice's names, serial, parallel, …
            var range = option switch
            {
                WholeNumberOption => $"({option.RangeText})",
                _ => option.RangeText,
            };
            if (range is not null)
                Assert.True(row.Meaning.Contains(range, StringComparison.Ordinal), $"README's {option.Flag} row should say {range}: {row.Meaning}");
        }
    }

    /// <summary>The rows of the table under "## Command line": option, default and meaning, without the backticks.</summary>
    private static List<(string Option, string Default, string Meaning)> Rows()
    {
        var lines = File.ReadAllLines(Path.Combine(Tools.RepositoryRoot(), "README.md"));
        var section = lines.SkipWhile(l => l != "## Command line").Skip(1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal));
        return section
            .Where(l => l.StartsWith("| `--", StringComparison.Ordinal))
            .Select(l => l.Trim('|').Split('|').Select(c => c.Trim().Replace("`", "", StringComparison.Ordinal)).ToArray())
            .Select(c => (c[0], c[1], string.Join('|', c[2..])))
            .ToList();
    }
}
