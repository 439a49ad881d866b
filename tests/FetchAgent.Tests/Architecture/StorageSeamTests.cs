using System.Text.RegularExpressions;

namespace FetchAgent.Tests.Architecture;

/// <summary>
/// Issue 10, item 4: the daemon, API and CLI know only the store interfaces (<c>IDatabase</c>, <c>IPageLoadStore</c>,
/// <c>IComparisonStore</c>); SQLite lives in <c>src/FetchAgent.Storage/Sqlite/</c>, and outside it only the factory
/// that picks it names it. Read from the sources (code, not comments), so a <c>using</c>, a type or a piece of
/// SQLite's own SQL in the wrong file fails here with the file and the line.
/// </summary>
public sealed partial class StorageSeamTests
{
    private const string StorageProject = "src/FetchAgent.Storage/";
    private const string SqliteFolder = "src/FetchAgent.Storage/Sqlite/";

    /// <summary>The one file outside <see cref="SqliteFolder"/> that may name the SQLite engine: the factory that picks it.</summary>
    private const string Factory = "src/FetchAgent.Storage/StorageFactory.cs";

    [Fact]
    public void The_daemon_API_and_CLI_name_no_database_engine()
    {
        var sources = Sources("src/FetchAgent/");
        Assert.Contains(sources, s => s.Path == "src/FetchAgent/Daemon/DaemonHost.cs");

        Assert.Empty(sources.SelectMany(EngineNames));
    }

    [Fact]
    public void Outside_its_folder_only_the_factory_names_the_SQLite_engine()
    {
        var sources = Sources(StorageProject);
        Assert.Contains(sources, s => s.Path == Factory);
        Assert.Contains(sources, s => s.Path.StartsWith(SqliteFolder, StringComparison.Ordinal));

        var outside = sources.Where(s => !s.Path.StartsWith(SqliteFolder, StringComparison.Ordinal) && s.Path != Factory);

        Assert.Empty(outside.SelectMany(EngineNames));
        Assert.Equal(["new SqliteEngine", "using FetchAgent.Storage.Sqlite"], EngineNames(sources.Single(s => s.Path == Factory)).Select(n => n[(n.IndexOf(": ", StringComparison.Ordinal) + 2)..]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_check_sees_SQLite_in_code_and_not_in_comments()
    {
        var source = new Source("src/FetchAgent/Bad.cs", string.Join('\n',
            "using Microsoft.Data.Sqlite;",
            "/// <summary>Stored in a SQLite file (Sqlite/ has the engine).</summary>",
            "interface IStore { Task<long> LastAsync(SqliteConnection c); }",
            "var url = \"http://example.test/\"; // a Sqlite remark",
            "const string Sql = \"SELECT last_insert_rowid();\";",
            "var store = new FetchAgent.Storage.Sqlite.SqlitePageLoadStore(db);"));

        Assert.Equal(
            [
                "src/FetchAgent/Bad.cs:1: using Microsoft.Data.Sqlite",
                "src/FetchAgent/Bad.cs:3: SqliteConnection",
                "src/FetchAgent/Bad.cs:5: last_insert_rowid",
                "src/FetchAgent/Bad.cs:6: FetchAgent.Storage.Sqlite.SqlitePageLoadStore",
            ],
            EngineNames(source));
    }

    private sealed record Source(string Path, string Text);

    /// <summary>Each place the code (comments left out) names SQLite: its namespaces and types, <c>rowid</c>, <c>sqlite_*</c> tables, <c>PRAGMA</c>.</summary>
    private static List<string> EngineNames(Source source)
    {
        var found = new List<string>();
        var lines = source.Text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var code = TrailingComment().Replace(FullLineComment().IsMatch(lines[i]) ? "" : lines[i], "");
            found.AddRange(SqliteName().Matches(code).Select(m => $"{source.Path}:{i + 1}: {m.Value}"));
        }

        return found;
    }

    private static List<Source> Sources(string folder)
    {
        var root = Tools.RepositoryRoot();
        var separator = Path.DirectorySeparatorChar;
        return Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{separator}obj{separator}", StringComparison.Ordinal) && !f.Contains($"{separator}bin{separator}", StringComparison.Ordinal))
            .Select(f => new Source(Path.GetRelativePath(root, f).Replace(separator, '/'), File.ReadAllText(f)))
            .ToList();
    }

    [GeneratedRegex(@"^\s*//")]
    private static partial Regex FullLineComment();

    /// <summary>A comment after code: <c> // why</c>. A URL's <c>//</c> has no space before it.</summary>
    [GeneratedRegex(@"\s//(\s.*)?$")]
    private static partial Regex TrailingComment();

    /// <summary>
    /// <c>using Microsoft.Data.Sqlite</c>, <c>using FetchAgent.Storage.Sqlite</c>, a qualified or bare SQLite type
    /// (<c>SqliteConnection</c>, <c>SqliteDatabase</c>, <c>SQLitePCL.raw</c>), and SQLite's own SQL words.
    /// </summary>
    [GeneratedRegex(@"using [\w.]*Sqlite\b|new Sqlite\w*|\b[\w.]*Sqlite\w*|\bSQLitePCL\b|\b\w*rowid\b|\bsqlite_\w+|\bPRAGMA\b")]
    private static partial Regex SqliteName();
}
