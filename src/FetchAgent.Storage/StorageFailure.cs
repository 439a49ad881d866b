using Microsoft.Data.Sqlite;

namespace FetchAgent.Storage;

/// <summary>
/// What went wrong with the database file, in words an operator can act on; <see cref="DiskFull"/> decides 507 over
/// 503; <see cref="Damaged"/> is a file that will not heal by itself (SQLITE_CORRUPT, SQLITE_NOTADB).
/// </summary>
public sealed record StorageFailure(string Cause, bool DiskFull, DateTimeOffset At, bool Damaged = false)
{
    // https://www.sqlite.org/rescode.html: primary result codes (the low byte of an extended one).
    private const int SqliteCorrupt = 11;
    private const int SqliteFull = 13;
    private const int SqliteNotADatabase = 26;

    /// <summary>The failure an exception means for storage, or null when it is not the database's (a bug, a missing row).</summary>
    public static StorageFailure? From(Exception exception) => exception switch
    {
        SqliteException sqlite => new StorageFailure(
            Describe(sqlite), (sqlite.SqliteErrorCode & 0xff) == SqliteFull, DateTimeOffset.UtcNow,
            (sqlite.SqliteErrorCode & 0xff) is SqliteCorrupt or SqliteNotADatabase),
        IOException or UnauthorizedAccessException => new StorageFailure(exception.Message, false, DateTimeOffset.UtcNow),
        _ => null,
    };

    /// <summary>SQLite's own words and code, on one line: "database or disk is full (SQLite error 13)".</summary>
    public static string Describe(SqliteException exception)
    {
        var words = exception.Message;
        // Microsoft.Data.Sqlite says "SQLite Error 13: 'database or disk is full'."; keep the quoted part.
        var open = words.IndexOf('\'', StringComparison.Ordinal);
        var close = words.LastIndexOf('\'');
        if (open >= 0 && close > open)
            words = words[(open + 1)..close];
        return $"{OneLine(words)} (SQLite error {exception.SqliteExtendedErrorCode})";
    }

    public static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

/// <summary>
/// The state <c>/healthz</c> reports: the last write's failure, until a later write succeeds; and damage any read
/// or write met, until restart (a damaged file does not heal; the start-up check then refuses it).
/// </summary>
public sealed class StorageHealth
{
    private StorageFailure? _lastWriteFailure;
    private StorageFailure? _damage;

    /// <summary>The first damage (SQLITE_CORRUPT, SQLITE_NOTADB) seen since start, or null.</summary>
    public StorageFailure? Damage => Volatile.Read(ref _damage);

    /// <summary>A read or write met this failure; damage is remembered.</summary>
    public void Observed(StorageFailure failure)
    {
        if (failure.Damaged)
            Interlocked.CompareExchange(ref _damage, failure, null);
    }

    /// <summary>Null when the last write succeeded (or none was made yet).</summary>
    public StorageFailure? LastWriteFailure => Volatile.Read(ref _lastWriteFailure);

    internal void WriteSucceeded() => Volatile.Write(ref _lastWriteFailure, null);

    internal void WriteFailed(StorageFailure failure)
    {
        Volatile.Write(ref _lastWriteFailure, failure);
        Observed(failure);
    }
}
