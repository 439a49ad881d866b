using Microsoft.Data.Sqlite;

namespace FetchAgent.Storage.Sqlite;

/// <summary>What a <see cref="SqliteException"/> means for storage: SQLite's own words and code, a full disk, damage.</summary>
internal static class SqliteFailure
{
    // https://www.sqlite.org/rescode.html: primary result codes (the low byte of an extended one).
    private const int SqliteCorrupt = 11;
    private const int SqliteFull = 13;
    private const int SqliteNotADatabase = 26;

    /// <summary>The failure, or null when the exception is not SQLite's.</summary>
    public static StorageFailure? From(Exception exception) => exception is SqliteException sqlite
        ? new StorageFailure(
            Describe(sqlite), (sqlite.SqliteErrorCode & 0xff) == SqliteFull, DateTimeOffset.UtcNow,
            (sqlite.SqliteErrorCode & 0xff) is SqliteCorrupt or SqliteNotADatabase)
        : null;

    /// <summary>SQLite's own words and code, on one line: "database or disk is full (SQLite error 13)".</summary>
    public static string Describe(SqliteException exception)
    {
        var words = exception.Message;
        // Microsoft.Data.Sqlite says "SQLite Error 13: 'database or disk is full'."; keep the quoted part.
        var open = words.IndexOf('\'', StringComparison.Ordinal);
        var close = words.LastIndexOf('\'');
        if (open >= 0 && close > open)
            words = words[(open + 1)..close];
        return $"{StorageFailure.OneLine(words)} (SQLite error {exception.SqliteExtendedErrorCode})";
    }
}
