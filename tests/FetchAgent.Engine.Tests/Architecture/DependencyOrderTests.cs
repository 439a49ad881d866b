using System.Text.RegularExpressions;

namespace FetchAgent.Engine.Tests.Architecture;

/// <summary>
/// Issue 10, item 1: the engine's folders are the flow, and dependencies point one way. Read from the sources, so a
/// <c>using</c> or a qualified name that points back up the flow fails here, with the file that did it.
/// </summary>
public sealed partial class DependencyOrderTests
{
    /// <summary>What each engine namespace may use, beside the root (<c>PageClock</c>) and its own parents. README's "Layout" says the same.</summary>
    private static readonly Dictionary<string, string[]> MayUse = new()
    {
        [""] = [],
        ["Model"] = [],
        ["Http1"] = ["Model"],
        ["Http2"] = ["Model"],
        ["Emulation"] = ["Model"],
        ["Navigation"] = ["Model", "Emulation"],
        ["Timeline"] = ["Model"],
        ["Discovery"] = ["Model"],
        ["Discovery.Css"] = ["Model", "Discovery"],
        ["Discovery.Html"] = ["Model", "Discovery", "Discovery.Css", "Http1"],
        ["Connections"] = ["Model", "Http1", "Http2", "Navigation"],
        ["Cache"] = ["Http1"],
        ["Page"] = ["Model", "Http1", "Navigation", "Connections", "Cache", "Discovery", "Discovery.Css", "Discovery.Html", "Timeline"],
        ["WhatIf"] = ["Model", "Timeline"],
    };

    [Fact]
    public void Every_engine_namespace_uses_only_what_comes_before_it_in_the_flow()
    {
        var sources = EngineSources();
        Assert.Equal(MayUse.Keys.Order(), sources.Select(s => s.Namespace).Distinct().Order());

        var typesByNamespace = sources
            .SelectMany(s => TypeDeclaration().Matches(s.Text).Select(m => (s.Namespace, Type: m.Groups["name"].Value)))
            .ToLookup(t => t.Type, t => t.Namespace);
        var wrong = new List<string>();
        foreach (var source in sources)
        {
            var allowed = MayUse[source.Namespace].Append("").ToHashSet();
            foreach (var used in Uses(source, typesByNamespace))
            {
                if (!allowed.Contains(used) && used != source.Namespace && !source.Namespace.StartsWith(used + ".", StringComparison.Ordinal))
                    wrong.Add($"{source.Path}: {NameOf(source.Namespace)} uses {NameOf(used)}");
            }
        }

        Assert.Empty(wrong);
    }

    [Fact]
    public void The_allowed_uses_have_no_cycle()
    {
        // Depth-first over MayUse: a namespace met again on the current path is a cycle.
        var path = new Stack<string>();
        var done = new HashSet<string>();
        void Visit(string ns)
        {
            Assert.False(path.Contains(ns), $"cycle: {string.Join(" → ", path.Reverse().Append(ns))}");
            if (!done.Add(ns))
                return;
            path.Push(ns);
            foreach (var next in MayUse[ns])
                Visit(next);
            path.Pop();
        }

        foreach (var ns in MayUse.Keys)
            Visit(ns);
    }

    [Fact]
    public void The_check_sees_a_using_and_a_qualified_name_that_point_back_up_the_flow()
    {
        // The reader itself, on two made-up files: a model file that imports the pool, and one that names it.
        var types = new[] { ("Connections", "OriginPool") }.ToLookup(t => t.Item2, t => t.Item1);
        var imported = new Source("Model/Bad.cs", "Model", "using FetchAgent.Engine.Connections;\nnamespace FetchAgent.Engine.Model;\n");
        var qualified = new Source("Model/Bad2.cs", "Model", "namespace FetchAgent.Engine.Model;\nclass X { Connections.OriginPool? P; int N => document.Connections.Count; }\n");
        Assert.Equal(["Connections"], Uses(imported, types));
        Assert.Equal(["Connections"], Uses(qualified, types));
    }

    private sealed record Source(string Path, string Namespace, string Text);

    private static IEnumerable<string> Uses(Source source, ILookup<string, string> typesByNamespace)
    {
        var used = new HashSet<string>();
        foreach (Match m in UsingDirective().Matches(source.Text))
        {
            // using static FetchAgent.Engine.Http1.HttpBytes: the namespace is what remains without the type.
            var ns = m.Groups["ns"].Value.TrimStart('.');
            while (!MayUse.ContainsKey(ns) && ns.Contains('.', StringComparison.Ordinal))
                ns = ns[..ns.LastIndexOf('.')];
            used.Add(ns);
        }

        foreach (Match m in QualifiedName().Matches(source.Text))
        {
            var ns = m.Groups["ns"].Value;
            if (typesByNamespace[m.Groups["type"].Value].Contains(ns))
                used.Add(ns);
        }

        return used.Order();
    }

    private static string NameOf(string ns) => ns.Length == 0 ? "FetchAgent.Engine" : ns;

    private static List<Source> EngineSources()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "FetchAgent.sln")))
            root = root.Parent;
        var engine = Path.Combine(root?.FullName ?? throw new InvalidOperationException("FetchAgent.sln not found"), "src", "FetchAgent.Engine");
        return Directory.EnumerateFiles(engine, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                        !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (Path: Path.GetRelativePath(engine, f), Text: File.ReadAllText(f)))
            .Select(f => new Source(f.Path, NamespaceDeclaration().Match(f.Text).Groups["ns"].Value.TrimStart('.'), f.Text))
            .ToList();
    }

    [GeneratedRegex(@"^namespace FetchAgent\.Engine(?<ns>(\.\w+)*);", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"^using (static )?FetchAgent\.Engine(?<ns>(\.\w+)+);", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();

    /// <summary><c>Connections.OriginPool</c> or <c>FetchAgent.Engine.Connections.OriginPool</c>, not <c>document.Connections.Count</c>.</summary>
    [GeneratedRegex(@"(?<![\w]\.|\w)(?:FetchAgent\.Engine\.)?(?<ns>(?:Discovery\.)?[A-Z]\w*)\.(?<type>[A-Z]\w*)")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"\b(?:class|struct|record|enum|interface)\s+(?<name>[A-Z]\w*)")]
    private static partial Regex TypeDeclaration();
}
