namespace FetchAgent.Tests;

/// <summary>Where the repository and the npm tools ./test.sh installs into .tools/ are.</summary>
internal static class Tools
{
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FetchAgent.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException("FetchAgent.sln not found above " + AppContext.BaseDirectory);
    }

    public static string NodeModules => Path.Combine(RepositoryRoot(), ".tools", "node_modules");

    /// <summary>An npm package ./test.sh installs; a clear failure (never a skip) when it is not there.</summary>
    public static string Require(string package)
    {
        var path = Path.Combine(NodeModules, package);
        Assert.True(Directory.Exists(path), $"{package} is not installed in {NodeModules}: ./test.sh installs it (npm install --prefix .tools {package})");
        return path;
    }
}
