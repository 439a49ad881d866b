using System.Data;
using Dapper;
using Npgsql;

namespace FetchAgent.Storage.Postgres;

/// <summary>
/// A PostgreSQL database that several agents share: pooled connections from one <see cref="NpgsqlDataSource"/>;
/// every write is one transaction and reports its outcome to <see cref="Health"/>, as SQLite's writer does.
/// </summary>
/// <remarks>
/// No single writer here: PostgreSQL's row locks let writers in many processes proceed side by side, which is
/// what agents on several machines need. Migrations run under an advisory lock, so agents starting together
/// migrate once.
/// </remarks>
public sealed class PostgresDatabase : IDatabase, IAsyncDisposable
{
    private readonly NpgsqlDataSource _source;
    private readonly NpgsqlConnectionStringBuilder _settings;

    static PostgresDatabase()
    {
        // The tables are snake_case, the row types PascalCase: let Dapper match started_at to StartedAt.
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    /// <summary>The database the connection string names, migrated from <see cref="ShippedMigrations"/>.</summary>
    public PostgresDatabase(string connectionString)
        : this(PostgresSettings.Parse(connectionString))
    {
    }

    internal PostgresDatabase(NpgsqlConnectionStringBuilder settings, string? migrationsFolder = null)
    {
        settings.ApplicationName ??= "fetchagent";
        Location = PostgresSettings.Location(settings);
        MigrationsFolder = Path.GetFullPath(migrationsFolder ?? ShippedMigrations);
        _settings = settings;
        _source = NpgsqlDataSource.Create(settings);
        Notifications = new PostgresNotifications(this);
    }

    /// <summary>The agent's one listening session (issue 17): the queue's and live progress's notifications.</summary>
    internal PostgresNotifications Notifications { get; }

    /// <summary><c>postgresql://host:port/database</c>: never the user or password.</summary>
    public string Location { get; }

    public StorageHealth Health { get; } = new();

    /// <summary>PostgreSQL's own migrations, <c>migrations/postgresql/*.sql</c>, which the build copies beside SQLite's.</summary>
    public static string ShippedMigrations => Path.Combine(AppContext.BaseDirectory, "migrations", "postgresql");

    public string MigrationsFolder { get; }

    /// <summary>An open pooled connection.</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// A connection of its own, outside the pool, that stays open to LISTEN for notifications (a pooled one would be
    /// reset and handed to others); closed by its user.
    /// </summary>
    /// <param name="applicationName">The session's <c>application_name</c>, when it should be told apart from the pooled ones.</param>
    public async Task<NpgsqlConnection> OpenListenerAsync(string? applicationName = null, CancellationToken cancellationToken = default)
    {
        var settings = new NpgsqlConnectionStringBuilder(_settings.ConnectionString) { Pooling = false, KeepAlive = 30 };
        if (applicationName is not null)
            settings.ApplicationName = applicationName;
        var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    /// <summary>
    /// Runs <paramref name="write"/> in a transaction of its own and commits it; the outcome goes to <see cref="Health"/>
    /// (a failure the database names turns <c>/healthz</c> unhealthy until a later write succeeds).
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var result = await write(connection, transaction, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            Health.WriteSucceeded();
            return result;
        }
        catch (Exception e) when (StorageFailure.From(e) is { } failure)
        {
            Health.WriteFailed(failure);
            throw;
        }
    }

    /// <summary>Reads in one snapshot: every statement sees the database as it was when the first began.</summary>
    public async Task<T> ReadAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> read, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        return await read(connection, transaction, cancellationToken).ConfigureAwait(false);
    }

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await new PostgresMigrationRunner(connection, Location, MigrationsFolder).RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// What the daemon runs before it listens: the server answers, pending migrations apply, and a write can be
    /// begun (a read-only standby or a user without rights says so now, not at the first load).
    /// </summary>
    public async Task OpenCheckedAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await MigrateAsync(cancellationToken).ConfigureAwait(false);
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (version, applied_at) VALUES ('write-probe', '');", transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw new DatabaseUnusableException(Location, PostgresFailure.Describe(e));
        }
    }

    public async Task<StorageFailure?> PingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(*) FROM schema_migrations;", cancellationToken: cancellationToken)).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (StorageFailure.From(e) is { } failure)
        {
            return failure;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Notifications.DisposeAsync().ConfigureAwait(false);
        await _source.DisposeAsync().ConfigureAwait(false);
    }
}
