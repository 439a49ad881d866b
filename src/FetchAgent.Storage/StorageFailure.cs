namespace FetchAgent.Storage;

/// <summary>
/// What went wrong with the database, in words an operator can act on; <see cref="DiskFull"/> decides 507 over
/// 503; <see cref="Damaged"/> is a database that will not heal by itself (for SQLite: SQLITE_CORRUPT, SQLITE_NOTADB).
/// </summary>
public sealed record StorageFailure(string Cause, bool DiskFull, DateTimeOffset At, bool Damaged = false)
{
    /// <summary>The failure an exception means for storage, or null when it is not the database's (a bug, a missing row).</summary>
    /// <remarks>Each database engine names its own exceptions (<see cref="StorageFactory"/>); a file system error is the disk's.</remarks>
    public static StorageFailure? From(Exception exception) =>
        StorageFactory.FailureOf(exception) ?? exception switch
        {
            IOException or UnauthorizedAccessException => new StorageFailure(exception.Message, false, DateTimeOffset.UtcNow),
            _ => null,
        };

    /// <summary>The text on one line: its lines, trimmed, joined by spaces.</summary>
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
