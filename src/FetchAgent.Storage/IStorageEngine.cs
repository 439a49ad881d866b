namespace FetchAgent.Storage;

/// <summary>
/// One kind of database behind the store interfaces, in a folder of its own (<c>Sqlite/</c>) with its own
/// migrations (<c>migrations/sqlite/</c>): it knows its setting, opens its stores, and names its own failures.
/// </summary>
internal interface IStorageEngine
{
    /// <summary>Whether <paramref name="database"/> (<c>--db</c>, <c>FetchAgent:Database</c>) names a database of this kind.</summary>
    bool Accepts(string database);

    /// <summary>The database and its stores; nothing is opened yet (the caller migrates or checks it).</summary>
    /// <param name="database">The setting this engine accepted.</param>
    /// <param name="agent">Who stores loads through these stores: recorded on each.</param>
    Stores Open(string database, AgentIdentity agent);

    /// <summary>What an exception of this engine means for storage; null for any other exception.</summary>
    StorageFailure? FailureOf(Exception exception);
}
