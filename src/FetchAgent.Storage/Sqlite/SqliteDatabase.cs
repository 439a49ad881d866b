using Dapper;
using Microsoft.Data.Sqlite;

namespace FetchAgent.Storage.Sqlite;

/// <summary>The SQLite file: opens connections with WAL, foreign keys and a busy timeout; every write goes through one writer.</summary>
public sealed partial class SqliteDatabase : IDatabase
{
    /// <summary>How long a writer waits for another writer's transaction before SQLite gives up with "database is locked".</summary>
    public const int BusyTimeoutMs = 5000;

    // Every connection, pooled or new, gets these: foreign keys and the busy timeout are per connection in SQLite.
    // synchronous=NORMAL is durable with WAL except for the last commits before a power loss, never corrupt.
    private const string ConnectionPragmas = "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;";

    private readonly string _connectionString;
    private volatile bool _folderExists;

    static SqliteDatabase()
    {
        SQLitePCL.Batteries_V2.Init();
        // The tables are snake_case, the row types PascalCase: let Dapper match started_at to StartedAt.
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    /// <summary>The database at <paramref name="path"/>, migrated from <see cref="ShippedMigrations"/>.</summary>
    public SqliteDatabase(string path)
        : this(path, ShippedMigrations)
    {
    }

    /// <summary>The database at <paramref name="path"/>, migrated from <paramref name="migrationsFolder"/> (tests use their own).</summary>
    public SqliteDatabase(string path, string migrationsFolder)
    {
        Path = System.IO.Path.GetFullPath(path);
        MigrationsFolder = System.IO.Path.GetFullPath(migrationsFolder);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
        }.ToString();
        _writer = new DatabaseWriter(OpenAsync, Health);
    }

    private readonly DatabaseWriter _writer;

    /// <summary>Whether the last write failed, and why (for <c>/healthz</c>).</summary>
    public StorageHealth Health { get; } = new();

    /// <summary>
    /// Runs a write on the writer's connection after every write queued before it in its lane: one writer per
    /// database, so writes in this process never contend for SQLite's write lock. Failures are reported to
    /// <see cref="Health"/>. <paramref name="ahead"/>: a short write a request waits on before its work starts.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> write, CancellationToken cancellationToken = default, bool ahead = false) =>
        _writer.RunAsync(write, cancellationToken, ahead);

    /// <summary>The file, as a full path.</summary>
    public string Path { get; }

    /// <summary>The file's full path.</summary>
    public string Location => Path;

    /// <summary>
    /// SQLite's own migrations, <c>migrations/sqlite/*.sql</c> at the repository root, which the build copies to the
    /// same place under the output folder. Another database keeps its own dialect's beside them.
    /// </summary>
    public static string ShippedMigrations => System.IO.Path.Combine(AppContext.BaseDirectory, "migrations", "sqlite");

    /// <summary>The folder whose <c>*.sql</c> files <see cref="MigrateAsync"/> applies in name order.</summary>
    public string MigrationsFolder { get; }

    /// <summary>An open connection with the per-connection pragmas set.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        EnsureFolder();
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = ConnectionPragmas;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates the file (and folder) if missing and applies pending migrations; throws <see cref="MigrationException"/> for a newer database.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // WAL is a property of the file, so once is enough: readers never block the writer nor it them.
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode = WAL;", cancellationToken: cancellationToken)).ConfigureAwait(false);
        await new MigrationRunner(connection, Path, MigrationsFolder).RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Null when the schema can be read (for /healthz), else why not.</summary>
    /// <remarks>Reads the schema table, not a constant: <c>SELECT 1</c> answers even from a file that is not a database.</remarks>
    public async Task<StorageFailure?> PingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(*) FROM sqlite_schema;", cancellationToken: cancellationToken)).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (StorageFailure.From(e) is { } failure)
        {
            return failure;
        }
    }

    private void EnsureFolder()
    {
        if (_folderExists)
            return;
        var folder = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
        _folderExists = true;
    }
}
