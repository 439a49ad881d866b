using System.Text.RegularExpressions;
using Npgsql;

namespace FetchAgent.Storage.Postgres;

/// <summary>
/// The <c>--db</c> / <c>FetchAgent:Database</c> setting that names a PostgreSQL database: Npgsql's keyword form
/// (<c>Host=127.0.0.1;Port=5432;Database=fetchagent;Username=…;Password=…</c>) or libpq's URL
/// (<c>postgresql://user:password@host:port/database</c>, RFC 3986 percent-encoding in user and password).
/// </summary>
internal static partial class PostgresSettings
{
    /// <summary>A URL with PostgreSQL's scheme, or a connection string with a <c>Host</c> (or <c>Server</c>) key; any other text is a SQLite path.</summary>
    public static bool Recognises(string database) =>
        database.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || database.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || HostKey().IsMatch(database);

    /// <summary>The connection string Npgsql reads.</summary>
    /// <exception cref="ArgumentException">A URL or keyword that does not parse.</exception>
    public static NpgsqlConnectionStringBuilder Parse(string database)
    {
        if (!database.Contains("://", StringComparison.Ordinal))
            return new NpgsqlConnectionStringBuilder(database);
        if (!Uri.TryCreate(database, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new ArgumentException("a postgresql:// URL needs a host: postgresql://user:password@host:port/database", nameof(database));
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } name ? name : null,
        };
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }

        // libpq's query parameters that Npgsql knows by another name; any other is passed as Npgsql's keyword.
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            builder[key switch
            {
                "sslmode" => "SSL Mode",
                "application_name" => "Application Name",
                "connect_timeout" => "Timeout",
                _ => key,
            }] = value;
        }

        return builder;
    }

    /// <summary>Where the data lives, for an operator: <c>postgresql://host:port/database</c>, never the user or password.</summary>
    public static string Location(NpgsqlConnectionStringBuilder settings) =>
        $"postgresql://{settings.Host}:{settings.Port}/{settings.Database ?? settings.Username ?? ""}";

    [GeneratedRegex(@"(^|;)\s*(host|server)\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HostKey();
}
