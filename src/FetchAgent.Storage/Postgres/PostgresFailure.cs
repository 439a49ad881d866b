using System.Net.Sockets;
using Npgsql;

namespace FetchAgent.Storage.Postgres;

/// <summary>What an Npgsql exception means for storage: the server's words and SQLSTATE, a full disk, damage.</summary>
internal static class PostgresFailure
{
    // https://www.postgresql.org/docs/current/errcodes-appendix.html
    private const string DiskFull = "53100";
    private const string DataCorrupted = "XX001";
    private const string IndexCorrupted = "XX002";

    /// <summary>The failure, or null when the exception is not Npgsql's.</summary>
    public static StorageFailure? From(Exception exception) => exception switch
    {
        PostgresException server => new StorageFailure(
            Describe(server), server.SqlState == DiskFull, DateTimeOffset.UtcNow, server.SqlState is DataCorrupted or IndexCorrupted),
        NpgsqlException client => new StorageFailure(Describe(client), false, DateTimeOffset.UtcNow),
        _ => null,
    };

    /// <summary>The server's own words and SQLSTATE, or the client's and the socket's: "could not extend file … (PostgreSQL 53100)".</summary>
    public static string Describe(NpgsqlException exception) => exception switch
    {
        PostgresException server => $"{StorageFailure.OneLine(server.MessageText)} (PostgreSQL {server.SqlState})",
        { InnerException: SocketException socket } => $"{StorageFailure.OneLine(exception.Message)}: {StorageFailure.OneLine(socket.Message)}",
        { InnerException: { } inner } => $"{StorageFailure.OneLine(exception.Message)}: {StorageFailure.OneLine(inner.Message)}",
        _ => StorageFailure.OneLine(exception.Message),
    };
}
