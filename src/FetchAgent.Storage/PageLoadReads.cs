using System.Data.Common;
using System.Globalization;
using Dapper;
using FetchAgent.Engine.Model;
using FetchAgent.Storage.Rows;

namespace FetchAgent.Storage;

/// <summary>What every database's list and trends read the same way: the host filter's parts, the trends' SQL, points and medians.</summary>
internal static class PageLoadReads
{
    /// <summary>Every completed or partial load FetchAgent ran of <c>@url</c> (not imported, not a repeat view), oldest first.</summary>
    private static readonly string TrendPointsSql =
        $"SELECT {Tables.PageLoads.Only(nameof(PageLoadRow.Id), nameof(PageLoadRow.StartedAt), nameof(PageLoadRow.Strategy), nameof(PageLoadRow.PerceivedMs), nameof(PageLoadRow.ActualMs))} FROM page_loads " +
        "WHERE url = @url AND status IN ('completed', 'partial') AND imported_from IS NULL AND repeat_of IS NULL ORDER BY started_at, id;";

    /// <summary>The same loads as <see cref="TrendPointsSql"/>, only what <see cref="Trends"/> reads.</summary>
    private static readonly string TrendsSql =
        $"SELECT {Tables.PageLoads.Only(nameof(PageLoadRow.Strategy), nameof(PageLoadRow.PerceivedMs), nameof(PageLoadRow.ActualMs))} FROM page_loads " +
        "WHERE url = @url AND status IN ('completed', 'partial') AND imported_from IS NULL AND repeat_of IS NULL;";

    /// <summary>
    /// The list's host filter split into the host column's value and a port: <c>127.0.0.1:8081</c>, <c>[::1]:8081</c>,
    /// <c>example.test</c> (no port). An unbracketed IPv6 address has no port.
    /// </summary>
    public static (string? Host, int? Port) HostAndPort(string? filter)
    {
        if (filter is null)
            return (null, null);
        var text = filter.Trim().ToLowerInvariant();
        var colon = text.LastIndexOf(':');
        var bracketed = text.StartsWith('[');
        if (colon < 0 || (bracketed && colon < text.IndexOf(']')) || (!bracketed && text.IndexOf(':') != colon))
            return (text, null);
        return int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? (text[..colon], port)
            : (text, null);
    }

    /// <summary>LIKE patterns (backslash escapes) for URLs whose authority is host:port (or the bare host for the scheme's default port).</summary>
    public static List<string> AuthorityPrefixes(string host, int port)
    {
        static string Escape(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
        var prefixes = new List<string>();
        foreach (var (scheme, defaultPort) in new[] { ("http", 80), ("https", 443) })
        {
            var authorities = port == defaultPort ? new[] { $"{host}:{port}", host } : [$"{host}:{port}"];
            foreach (var authority in authorities)
            {
                var start = Escape($"{scheme}://{authority}");
                // The authority ends at a path, a query, a fragment or the end of the URL.
                prefixes.AddRange([start, start + "/%", start + "?%", start + "#%"]);
            }
        }

        return prefixes;
    }

    /// <summary>The trends chart's points: every completed or partial load FetchAgent ran of <paramref name="url"/>, oldest first.</summary>
    public static async Task<List<TrendPoint>> TrendPointsAsync(DbConnection connection, string url, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<PageLoadRow>(new CommandDefinition(TrendPointsSql, new { url }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new TrendPoint(r.Id, StoredText.Time(r.StartedAt), r.Strategy, r.PerceivedMs, r.ActualMs)).ToList();
    }

    /// <summary>Per strategy, over the same loads as <see cref="TrendPointsAsync"/>: see <see cref="Trends"/>.</summary>
    public static async Task<List<TrendRow>> TrendsAsync(DbConnection connection, string url, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<PageLoadRow>(new CommandDefinition(TrendsSql, new { url }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return Trends(rows);
    }

    /// <summary>Per strategy (the contract's order, unknown ones after by name): count, medians and their ratio.</summary>
    public static List<TrendRow> Trends(IEnumerable<PageLoadRow> rows) => rows
        .GroupBy(r => r.Strategy, StringComparer.Ordinal)
        .OrderBy(g => StoredText.TryEnum<ConnectionStrategy>(g.Key, out var known) ? (int)known : int.MaxValue)
        .ThenBy(g => g.Key, StringComparer.Ordinal)
        .Select(g =>
        {
            var perceived = Median(g.Select(r => r.PerceivedMs));
            var actual = Median(g.Select(r => r.ActualMs));
            return new TrendRow(g.Key, g.Count(), perceived, actual, actual == 0 ? 0 : perceived / actual);
        })
        .ToList();

    /// <summary>The middle value; for an even count, the mean of the two middle values.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
            return 0;
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
