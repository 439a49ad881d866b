using System.Globalization;
using System.Text;

namespace FetchAgent.Storage;

/// <summary>
/// One table's columns, spelled once (<see cref="Tables"/>): every insert, update and select list is made from them.
/// A column's parameter is named as its row's property, as Dapper maps them: <c>started_at</c> is <c>@StartedAt</c>.
/// </summary>
/// <remarks>Plain SQL that SQLite and PostgreSQL read alike; what differs between them stays in each engine's folder.</remarks>
internal sealed class Table
{
    private readonly Dictionary<string, string> _columnByProperty;

    /// <param name="name">The table.</param>
    /// <param name="generatedKey">A key the database assigns on insert (never written), or null.</param>
    /// <param name="columns">The columns a write sets, in the order the schema has them.</param>
    public Table(string name, string? generatedKey, params string[] columns)
    {
        Name = name;
        Columns = columns;
        AllColumns = generatedKey is null ? columns : [generatedKey, .. columns];
        _columnByProperty = AllColumns.ToDictionary(Property, StringComparer.Ordinal);
        ColumnList = string.Join(", ", Columns);
        SelectList = string.Join(", ", AllColumns);
        Insert = $"INSERT INTO {Name} ({ColumnList}) VALUES ({string.Join(", ", Columns.Select(Parameter))})";
        Assignments = string.Join(", ", Columns.Select(c => $"{c} = {Parameter(c)}"));
    }

    public string Name { get; }

    /// <summary>The columns a write sets, without the generated key.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Every column: the generated key (if any) first.</summary>
    public IReadOnlyList<string> AllColumns { get; }

    /// <summary><c>url, host, …</c>: <see cref="Columns"/>.</summary>
    public string ColumnList { get; }

    /// <summary><c>id, url, host, …</c>: <see cref="AllColumns"/>, to read a whole row.</summary>
    public string SelectList { get; }

    /// <summary><c>INSERT INTO t (url, …) VALUES (@Url, …)</c>, without a closing semicolon.</summary>
    public string Insert { get; }

    /// <summary><c>url = @Url, …</c>: the SET list of an update of every written column.</summary>
    public string Assignments { get; }

    /// <summary>Some columns, named by their row's properties (<c>nameof(PageLoadRow.StartedAt)</c>), as a select list.</summary>
    /// <exception cref="ArgumentException">A property that is no column of this table.</exception>
    public string Only(params string[] properties) =>
        string.Join(", ", properties.Select(p => _columnByProperty.TryGetValue(p, out var column)
            ? column
            : throw new ArgumentException($"{p} is not a column of {Name}", nameof(properties))));

    /// <summary>The same list with each column qualified by <paramref name="alias"/>: <c>c.id, c.url, …</c>.</summary>
    public string SelectListOf(string alias) => string.Join(", ", AllColumns.Select(c => $"{alias}.{c}"));

    /// <summary>The parameter a column is written from: <c>@</c> and its row's property.</summary>
    public static string Parameter(string column) => "@" + Property(column);

    /// <summary>The row property of a snake_case column, as Dapper matches them: <c>keep_alive_timeout_s</c> is <c>KeepAliveTimeoutS</c>.</summary>
    public static string Property(string column)
    {
        var name = new StringBuilder(column.Length);
        foreach (var word in column.Split('_', StringSplitOptions.RemoveEmptyEntries))
            name.Append(char.ToUpper(word[0], CultureInfo.InvariantCulture)).Append(word.AsSpan(1));
        return name.ToString();
    }
}
