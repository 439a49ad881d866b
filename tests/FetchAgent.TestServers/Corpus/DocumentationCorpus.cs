using System.Text;
using System.Text.RegularExpressions;

namespace FetchAgent.TestServers.Corpus;

/// <summary>
/// Issue 16's corpus: real pages nobody here wrote, from the documentation trees Debian packages install (Node.js's API
/// docs, Valgrind's manual, libxslt's and libtasn1's docs, Python's policy page, Sphinx's own documentation; ./test.sh
/// installs them). Assembled into one file set for <see cref="NginxOrigin"/>, with every absolute URL off loopback
/// rewritten to a path on the corpus's own server, so no traffic leaves the machine. Used by the Chromium corpus test
/// and by the bench's <c>side-by-side</c> command.
/// </summary>
public static partial class DocumentationCorpus
{
    /// <summary>Each page: the tree it lives in (copied whole), and the page's path inside it.</summary>
    private static readonly (string Tree, string Prefix, string[] Pages)[] Trees =
    [
        ("/usr/share/doc/nodejs/api", "node", ["index.html", "fs.html", "http.html", "buffer.html"]),
        ("/usr/share/doc/valgrind/html", "valgrind", ["index.html", "manual-core.html", "QuickStart.html"]),
        ("/usr/share/doc/libxslt1-dev/html", "libxslt", ["index.html", "tutorial/libxslttutorial.html"]),
        ("/usr/share/gtk-doc/html/libtasn1", "libtasn1", ["index.html", "libtasn1-libtasn1.html"]),
        ("/usr/share/doc/python3", "python3", ["python-policy.html", "index.html"]),
        ("/usr/share/doc/sphinx-doc/html", "sphinx", [
            "index.html", "faq.html", "glossary.html", "changes.html", "examples.html", "usage/quickstart.html", "usage/configuration.html",
            "usage/theming.html", "tutorial/index.html", "tutorial/first-steps.html", "tutorial/describing-code.html",
        ]),
    ];

    /// <summary>The trees, copied with every absolute URL off loopback rewritten to a path on the corpus's own server.</summary>
    /// <param name="pages">The pages under test that exist on this machine, as paths relative to the server's root.</param>
    public static Dictionary<string, byte[]> Assemble(out List<string> pages)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        pages = [];
        foreach (var (tree, prefix, treePages) in Trees)
        {
            if (!Directory.Exists(tree))
                continue;
            foreach (var file in Directory.EnumerateFiles(tree, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(tree, file).Replace('\\', '/');
                var info = new FileInfo(file);
                if (info.Length > 4_000_000 || relative.EndsWith(".gz", StringComparison.Ordinal) || (relative.EndsWith(".md", StringComparison.Ordinal)) ||
                    (relative.EndsWith(".json", StringComparison.Ordinal)))
                    continue;
                if (relative.EndsWith(".html", StringComparison.Ordinal) && !treePages.Contains(relative))
                    continue; // only the pages under test: the rest of a big tree adds nothing
                var bytes = File.ReadAllBytes(file);
                if (relative.EndsWith(".html", StringComparison.Ordinal) || relative.EndsWith(".css", StringComparison.Ordinal))
                    bytes = Encoding.UTF8.GetBytes(Foreign().Replace(Encoding.UTF8.GetString(bytes), m => $"/_foreign/{m.Groups["host"].Value}/"));
                files[$"{prefix}/{relative}"] = bytes;
            }

            pages.AddRange(treePages.Where(p => files.ContainsKey($"{prefix}/{p}")).Select(p => $"{prefix}/{p}"));
        }

        return files;
    }

    [GeneratedRegex(@"(?:https?:)?//(?<host>(?!127\.0\.0\.1)[a-zA-Z0-9.-]+\.[a-zA-Z]{2,})/", RegexOptions.None)]
    private static partial Regex Foreign();
}
