using System.Text.RegularExpressions;

namespace FetchAgent.Engine.Tests.Architecture;

/// <summary>
/// Issue 10, item 2: the pool's policy and the transaction runner know a connection only as <c>PooledConnection</c>.
/// HTTP/1.1's notions live in <c>PersistentConnection</c> and the pool's HTTP/1.1 partial (<c>OriginPool.Http1.cs</c>),
/// so an HTTP/2 connection or a proxy tunnel is an addition there, not an edit here. Read from the sources, code only.
/// </summary>
public sealed partial class ConnectionSeamTests
{
    /// <summary>The files every kind of connection goes through.</summary>
    private static readonly string[] SharedFiles =
    [
        "OriginPool.cs", "TransactionRunner.cs", "ConnectionPool.cs", "PooledConnection.cs", "PooledConnection.Close.cs", "Lease.cs", "PoolWaiter.cs",
        "ExchangeResponse.cs", "TransactionResult.cs",
    ];

    /// <summary>HTTP/1.1's words: its connection type, its response record, its per-connection counts and its reader.</summary>
    private static readonly string[] Http1Notions =
    [
        "PersistentConnection", "Http1Response", "SendBudget", "PipelineReady", "LearnedUpTo", "Leased", "KeepAlive", "InFlight", "ResponseReader",
        "ReadAhead", "Connection: close", "PipelineDepth",
    ];

    [Fact]
    public void The_shared_pool_files_name_no_HTTP_1_1_notion()
    {
        var wrong = new List<string>();
        foreach (var file in SharedFiles)
        {
            var code = Code(File.ReadAllText(Path.Combine(ConnectionsFolder(), file)));
            wrong.AddRange(Http1Notions.Where(n => code.Contains(n, StringComparison.Ordinal)).Select(n => $"{file}: {n}"));
        }

        Assert.Empty(wrong);
    }

    [Fact]
    public void The_pool_policy_imports_nothing_of_HTTP_1_1_and_its_HTTP_1_1_rules_sit_in_their_partial()
    {
        var policy = Code(File.ReadAllText(Path.Combine(ConnectionsFolder(), "OriginPool.cs")));
        var rules = Code(File.ReadAllText(Path.Combine(ConnectionsFolder(), "OriginPool.Http1.cs")));

        Assert.DoesNotContain("Http1", policy, StringComparison.Ordinal);
        Assert.Contains("partial class OriginPool", rules, StringComparison.Ordinal);
        Assert.Contains("SendBudget", rules, StringComparison.Ordinal);
        Assert.Contains("PipelineReady", rules, StringComparison.Ordinal);
    }

    [Fact]
    public void The_reader_strips_comments_and_keeps_code()
    {
        Assert.Equal("var x = 1; \nvar s = \"Connection: close\";\n", Code("/// <summary>PersistentConnection</summary>\nvar x = 1; // SendBudget\nvar s = \"Connection: close\";\n"));
    }

    /// <summary>The file without its comments (doc comments and line comments), which may name what they explain.</summary>
    private static string Code(string source) =>
        string.Concat(source.Split('\n').Select(line => LineComment().Replace(line, "$1")).Where(line => line.Trim().Length > 0).Select(line => line + "\n"));

    private static string ConnectionsFolder()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "FetchAgent.sln")))
            root = root.Parent;
        return Path.Combine(root?.FullName ?? throw new InvalidOperationException("FetchAgent.sln not found"), "src", "FetchAgent.Engine", "Connections");
    }

    /// <summary>A comment from <c>//</c> to the line's end, when the <c>//</c> is not inside a string.</summary>
    [GeneratedRegex(@"^((?:[^""/]|""[^""]*""|/(?!/))*)//.*$")]
    private static partial Regex LineComment();
}
