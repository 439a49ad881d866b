namespace FetchAgent.Storage;

/// <summary>
/// A comparison as both databases write it: the values of its comparisons row and of each comparison_rows row. Each
/// store inserts the head in its own words (how the new id is read back) and runs the transaction.
/// </summary>
/// <remarks>Whole numbers are bound as 64-bit: PostgreSQL's columns are bigint, and SQLite binds every integer as one.</remarks>
internal static class ComparisonWrites
{
    /// <summary>One comparison_rows row from a <see cref="RowValues"/>.</summary>
    public static readonly string InsertRow = Tables.ComparisonRows.Insert + ";";

    /// <summary>The comparisons row's values.</summary>
    public static HeadValues Head(string url, int runs, string? sweepOption, DateTimeOffset createdAt) =>
        new(url, runs, StoredText.Time(createdAt), sweepOption);

    /// <summary>Each run's row, its position the order it ran in.</summary>
    public static List<RowValues> Rows(long comparisonId, IReadOnlyList<(string Strategy, int? SweepValue, long PageLoadId)> rows) =>
        rows.Select((r, i) => new RowValues(comparisonId, i, r.Strategy, r.PageLoadId, r.SweepValue)).ToList();

    public sealed record HeadValues(string Url, long Runs, string CreatedAt, string? SweepOption);

    public sealed record RowValues(long ComparisonId, long Position, string Strategy, long? PageLoadId, long? SweepValue);
}
