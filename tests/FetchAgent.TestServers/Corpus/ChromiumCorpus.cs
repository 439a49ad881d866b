using System.Text;
using System.Text.RegularExpressions;

namespace FetchAgent.TestServers.Corpus;

/// <summary>One page of the corpus: its path on the corpus's server and the group it belongs to (a README table row).</summary>
public sealed record CorpusPage(string Path, string Group);

/// <summary>
/// Issue 16's corpus: real pages nobody here wrote, from documentation trees Debian packages install and site templates
/// npm packages ship, each tree copied whole (but for pages not under test), with every absolute URL off loopback
/// rewritten to <c>/_foreign/host/…</c> on the corpus's own server. A foreign URL of a public CDN that serves an npm
/// package (jsDelivr's <c>/npm/name@version/…</c>, Font Awesome's <c>/releases/vN/…</c>) is served from that package
/// as ./test.sh installs it into <c>.tools/corpus</c>, so a template's CDN stylesheet and its web fonts are real;
/// any other foreign URL is a 404, for FetchAgent and Chromium alike. Shared by the recall/precision test and the
/// timing bench.
/// </summary>
public static partial class ChromiumCorpus
{
    public const string DebianDocs = "Debian documentation trees";
    public const string ReadTheDocs = "Read the Docs theme, web fonts (Debian)";
    public const string Bootstrap = "Bootstrap templates, web fonts and CDN links (npm)";

    /// <summary>Each tree: its group, where it is (a path under the npm prefix when it starts with "npm:"), its prefix on the server, its pages.</summary>
    private static readonly (string Group, string Tree, string Prefix, string[] Pages)[] Trees =
    [
        (DebianDocs, "/usr/share/doc/nodejs/api", "node", ["index.html", "fs.html", "http.html", "buffer.html"]),
        (DebianDocs, "/usr/share/doc/valgrind/html", "valgrind", ["index.html", "manual-core.html", "QuickStart.html"]),
        (DebianDocs, "/usr/share/doc/libxslt1-dev/html", "libxslt", ["index.html", "tutorial/libxslttutorial.html"]),
        (DebianDocs, "/usr/share/gtk-doc/html/libtasn1", "libtasn1", ["index.html", "libtasn1-libtasn1.html"]),
        (DebianDocs, "/usr/share/doc/python3", "python3", ["python-policy.html", "index.html"]),
        (DebianDocs, "/usr/share/doc/sphinx-doc/html", "sphinx", [
            "index.html", "faq.html", "glossary.html", "changes.html", "examples.html", "usage/quickstart.html", "usage/configuration.html",
            "usage/theming.html", "tutorial/index.html", "tutorial/first-steps.html", "tutorial/describing-code.html",
        ]),
        // Sphinx's Read the Docs theme (sphinx-rtd-theme-common): Lato, Roboto Slab and FontAwesome faces of its own.
        (ReadTheDocs, "/usr/share/doc/python-wrapt-doc/html", "wrapt", ["index.html", "quick-start.html", "wrappers.html", "decorators.html"]),
        // MkDocs's readthedocs theme (the same fonts through the Debian font packages).
        (ReadTheDocs, "/usr/share/doc/python-typer-doc/html", "typer", ["index.html", "features/index.html", "tutorial/options/help/index.html"]),
        (Bootstrap, "npm:startbootstrap-creative/dist", "creative", ["index.html"]),
        (Bootstrap, "npm:startbootstrap-resume/dist", "resume", ["index.html"]),
        (Bootstrap, "npm:startbootstrap-sb-admin-2", "sb-admin-2", ["index.html", "buttons.html", "cards.html", "login.html", "utilities-color.html"]),
    ];

    /// <summary>How many pages the corpus has when every package it is made of is installed.</summary>
    public static int PageCount => Trees.Sum(t => t.Pages.Length);

    /// <summary>The npm packages the templates and their CDN links come from (./test.sh installs them into .tools/corpus).</summary>
    public static readonly string[] NpmPackages =
        ["startbootstrap-creative", "startbootstrap-resume", "startbootstrap-sb-admin-2", "bootstrap", "bootstrap-icons", "@fortawesome/fontawesome-free"];

    /// <summary>Folders of a template's package that are its build, not its site.</summary>
    private static readonly string[] NotSite = ["node_modules", "scss", "src", "scripts", ".github"];

    /// <summary>Where ./test.sh installs the corpus's npm packages: <c>.tools/corpus/node_modules</c> of the repository.</summary>
    public static string NodeModules()
    {
        // Above the build output (tests, bench), else above the working folder (a bench built elsewhere).
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "FetchAgent.sln")))
                    return Path.Combine(dir.FullName, ".tools", "corpus", "node_modules");
            }
        }

        throw new InvalidOperationException($"FetchAgent.sln not found above {AppContext.BaseDirectory} nor {Environment.CurrentDirectory}");
    }

    /// <summary>The corpus's files (path under the server's root → content) and its pages, in tree order.</summary>
    public static Dictionary<string, byte[]> Assemble(out List<CorpusPage> pages)
    {
        var nodeModules = NodeModules();
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        pages = [];
        foreach (var (group, treeName, prefix, treePages) in Trees)
        {
            var tree = treeName.StartsWith("npm:", StringComparison.Ordinal) ? Path.Combine(nodeModules, treeName[4..]) : treeName;
            if (!Directory.Exists(tree))
                continue;
            foreach (var file in Directory.EnumerateFiles(tree, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(tree, file).Replace('\\', '/');
                if (NotSite.Any(folder => relative.StartsWith(folder + "/", StringComparison.Ordinal)))
                    continue;
                if (relative.EndsWith(".html", StringComparison.Ordinal) && !treePages.Contains(relative))
                    continue; // only the pages under test: the rest of a big tree adds nothing
                AddFile(files, $"{prefix}/{relative}", file);
            }

            pages.AddRange(treePages.Where(p => files.ContainsKey($"{prefix}/{p}")).Select(p => new CorpusPage($"{prefix}/{p}", group)));
        }

        AddCdnPackages(files, nodeModules);
        return files;
    }

    private static void AddFile(Dictionary<string, byte[]> files, string path, string file)
    {
        var info = new FileInfo(file);
        if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is not { Exists: true })
            return; // a link into a package not installed (a 404, for Chromium too)
        if (info.LinkTarget is not null)
            info = new FileInfo(info.ResolveLinkTarget(returnFinalTarget: true)!.FullName);
        if (info.Length > 4_000_000 || path.EndsWith(".gz", StringComparison.Ordinal) || path.EndsWith(".md", StringComparison.Ordinal) ||
            path.EndsWith(".json", StringComparison.Ordinal) || path.EndsWith(".map", StringComparison.Ordinal))
            return;
        var bytes = File.ReadAllBytes(file);
        if (path.EndsWith(".html", StringComparison.Ordinal) || path.EndsWith(".css", StringComparison.Ordinal))
            bytes = Encoding.UTF8.GetBytes(Foreign().Replace(Encoding.UTF8.GetString(bytes), m => $"/_foreign/{m.Groups["host"].Value}/"));
        files[path] = bytes;
    }

    /// <summary>
    /// For each foreign URL a page or sheet names on a CDN that serves an npm package, the folder of the named file
    /// from the installed package (a stylesheet's fonts sit beside it or below). The version in the URL is ignored:
    /// the installed one stands in for it.
    /// </summary>
    private static void AddCdnPackages(Dictionary<string, byte[]> files, string nodeModules)
    {
        var named = files.Where(f => f.Key.EndsWith(".html", StringComparison.Ordinal) || f.Key.EndsWith(".css", StringComparison.Ordinal))
            .SelectMany(f => CdnFile().Matches(Encoding.UTF8.GetString(f.Value)).Select(m => m.Value))
            .Distinct().ToList();
        foreach (var url in named)
        {
            var match = CdnFile().Match(url);
            var package = match.Groups["package"].Success ? match.Groups["package"].Value : "@fortawesome/fontawesome-free";
            var local = Path.Combine(nodeModules, package, match.Groups["path"].Value);
            if (!File.Exists(local))
                continue;
            var folder = Path.GetDirectoryName(local)!;
            var served = url[1..url.LastIndexOf('/')];
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
                AddFile(files, $"{served}/{Path.GetRelativePath(folder, file).Replace('\\', '/')}", file);
        }
    }

    [GeneratedRegex(@"(?:https?:)?//(?<host>(?!127\.0\.0\.1)[a-zA-Z0-9.-]+\.[a-zA-Z]{2,})/", RegexOptions.None)]
    private static partial Regex Foreign();

    /// <summary>jsDelivr's <c>/npm/name@version/path</c> and Font Awesome's <c>/releases/vX.Y.Z/path</c>, once rewritten.</summary>
    [GeneratedRegex(@"/_foreign/(?:cdn\.jsdelivr\.net/npm/(?<package>(?:@[a-z0-9-]+/)?[a-z0-9.-]+)@[0-9][^/]*|use\.fontawesome\.com/releases/v[0-9][^/]*)/(?<path>[A-Za-z0-9._/-]+)", RegexOptions.None)]
    private static partial Regex CdnFile();
}
