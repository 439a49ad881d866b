using Dapper;
using FetchAgent.Storage.Rows;

namespace FetchAgent.Storage.Tests;

/// <summary>Each table's columns are spelled once, in <see cref="Tables"/>; the schema and the row types must agree with it.</summary>
public sealed class TablesTests
{
    public static TheoryData<string> TableNames => new() { "page_loads", "objects", "connections", "comparisons", "comparison_rows" };

    private static Table Named(string name) => new[] { Tables.PageLoads, Tables.Objects, Tables.Connections, Tables.Comparisons, Tables.ComparisonRows }.Single(t => t.Name == name);

    [Theory]
    [MemberData(nameof(TableNames))]
    public async Task Every_column_the_migrations_leave_is_listed_in_the_schemas_order_and_no_other(string name)
    {
        await using var db = await TempDatabase.CreateAsync();
        await using var connection = await db.Database.OpenAsync();

        var schema = await connection.QueryAsync<string>($"SELECT name FROM pragma_table_info('{name}') ORDER BY cid;");

        Assert.Equal(schema, Named(name).AllColumns);
    }

    [Theory]
    [InlineData(typeof(PageLoadRow), "page_loads")]
    [InlineData(typeof(ObjectRow), "objects")]
    [InlineData(typeof(ConnectionRow), "connections")]
    public void A_row_has_a_property_for_every_column_and_none_besides(Type row, string name)
    {
        var properties = row.GetProperties().Where(p => p.CanWrite).Select(p => p.Name).Order(StringComparer.Ordinal);

        Assert.Equal(properties, Named(name).AllColumns.Select(Table.Property).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Insert_update_and_select_lists_are_made_from_the_one_list()
    {
        var table = new Table("t", generatedKey: "id", "url", "started_at", "keep_alive_timeout_s");

        Assert.Equal("INSERT INTO t (url, started_at, keep_alive_timeout_s) VALUES (@Url, @StartedAt, @KeepAliveTimeoutS)", table.Insert);
        Assert.Equal("url = @Url, started_at = @StartedAt, keep_alive_timeout_s = @KeepAliveTimeoutS", table.Assignments);
        Assert.Equal("id, url, started_at, keep_alive_timeout_s", table.SelectList);
        Assert.Equal("x.id, x.url, x.started_at, x.keep_alive_timeout_s", table.SelectListOf("x"));
        Assert.Equal("started_at, id", table.Only("StartedAt", "Id"));
        var unknown = Assert.Throws<ArgumentException>(() => table.Only("FinishedAt"));
        Assert.StartsWith("FinishedAt is not a column of t", unknown.Message, StringComparison.Ordinal);
    }
}
