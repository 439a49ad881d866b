namespace FetchAgent.Storage;

/// <summary>The database cannot be used by this build (e.g. it was migrated by a newer FetchAgent).</summary>
public sealed class MigrationException(string message) : Exception(message);
