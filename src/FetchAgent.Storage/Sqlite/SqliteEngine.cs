namespace FetchAgent.Storage.Sqlite;

/// <summary>SQLite: the database is a file, named by its path; created and migrated when first opened.</summary>
internal sealed class SqliteEngine : IStorageEngine
{
    public bool Accepts(string database) => true;

    public Stores Open(string database)
    {
        var sqlite = new SqliteDatabase(database);
        return new Stores(sqlite, new SqlitePageLoadStore(sqlite), new SqliteComparisonStore(sqlite));
    }

    public StorageFailure? FailureOf(Exception exception) => SqliteFailure.From(exception);
}
