namespace FetchAgent.Storage;

/// <summary>The database cannot be used: damaged, not a database, unreadable or read-only. One line: where it is and why.</summary>
public sealed class DatabaseUnusableException(string path, string cause)
    : Exception($"database {path} cannot be used: {cause}")
{
    /// <summary>The database's <see cref="IDatabase.Location"/>.</summary>
    public string DatabasePath { get; } = path;

    public string Cause { get; } = cause;
}
