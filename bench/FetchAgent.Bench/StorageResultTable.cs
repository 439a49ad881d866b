using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;

namespace FetchAgent.Bench;

/// <summary>The storage bench's plain-text report: machine, database, then one row per operation with its target.</summary>
public static class StorageResultTable
{
    public static void Print(TextWriter output, StorageReport report)
    {
        if (report.Operations.Count > 0)
            PrintStore(output, report);
        if (report.Postgres is { } postgres)
            PrintPostgres(output, report, postgres);
        if (report.Posts.Count > 0)
            PrintPosts(output, report);
    }

    /// <summary>POST wall time minus actualMs: what the daemon adds to a load, at 1, 4 and 16 clients at once.</summary>
    private static void PrintPosts(TextWriter output, StorageReport report)
    {
        output.WriteLine();
        Line(output, $"POST /api/page-loads against a real daemon in this process (Kestrel on loopback, a fresh SQLite file, MaxConcurrentLoads = clients):");
        Line(output, $"{report.Options.Objects}-object loopback page, {report.Options.Posts} posts per row after {StorageBenchOptions.WarmUpIterations} warm-up; overhead = POST wall time - the load's actualMs");
        output.WriteLine();
        Line(output, $"{"clients",7} {"overhead ms:",12} {"median",7} {"p95",7} {"p99",7} {"max",7}  {"actualMs median",15}  {"target p99",10}");
        foreach (var row in report.Posts)
        {
            var p99 = ResultTable.Percentile(row.OverheadMs, 0.99);
            var verdict = p99 < PostOverheadBench.TargetP99Ms ? "PASS" : "MISS";
            Line(output, $"{row.Concurrency,7} {"",12} {ResultTable.Median(row.OverheadMs),7:F2} {ResultTable.Percentile(row.OverheadMs, 0.95),7:F2} {p99,7:F2} {row.OverheadMs.Max(),7:F2}  {ResultTable.Median(row.ActualMs),15:F2}  {"< " + PostOverheadBench.TargetP99Ms.ToString("F0", CultureInfo.InvariantCulture),10} {verdict}");
        }
    }

    private static void PrintStore(TextWriter output, StorageReport report)
    {
        var o = report.Options;
        Line(output, $"FetchAgent bench: storage");
        Line(output, $"machine: {Environment.ProcessorCount} logical cores, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription} {RuntimeInformation.ProcessArchitecture}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC");
        Line(output, $"database: SQLite {report.SqliteVersion}, WAL, synchronous=NORMAL, a fresh file in {Path.GetDirectoryName(report.DatabasePath)}");
        Line(output, $"stored: {report.StoredLoads} page loads, {report.StoredObjects} objects ({o.Loads} of {o.Objects} objects, {GeneratedLoads.Urls.Length} URLs on 3 hosts, 4 strategies, seed {o.Seed}; plus the measured writes)");
        Line(output, $"filling: {report.SeedTime.TotalSeconds:F1} s through InsertAsync, one load per transaction; write ms median {ResultTable.Median(report.SeedWriteMs):F2}, p95 {ResultTable.Percentile(report.SeedWriteMs, 0.95):F2} while the database grew");
        Line(output, $"file: {Mib(report.DatabaseBytes)} MiB database + {Mib(report.WalBytes)} MiB WAL = {(report.DatabaseBytes + report.WalBytes) / (double)report.StoredLoads / 1024:F1} KiB per page load");
        Line(output, $"calls: {StorageBenchOptions.WarmUpIterations} warm-up + {o.Iterations} measured per operation, one after another, each on its own pooled connection");
        output.WriteLine();

        Line(output, $"{"operation",-10} {"median ms",10} {"p95 ms",8} {"max ms",8} {"target",8}  {"",-4}  call");
        foreach (var op in report.Operations)
        {
            var median = ResultTable.Median(op.Ms);
            var verdict = median < op.TargetMs ? "PASS" : "MISS";
            Line(output, $"{op.Name,-10} {median,10:F3} {ResultTable.Percentile(op.Ms, 0.95),8:F3} {op.Ms.Max(),8:F2} {"< " + op.TargetMs.ToString("F0", CultureInfo.InvariantCulture),8}  {verdict,-4}  {op.Call}");
        }

        output.WriteLine();
        Line(output, $"targets (issue 3): listing and fetching under {StorageBenchOptions.ListTargetMs:F0} ms median at 10,000 loads of 50 objects; writing a 50-object load under {StorageBenchOptions.WriteTargetMs:F0} ms median.");
    }

    /// <summary>Issue 17: PostgreSQL's table, each operation's SQLite median beside its own.</summary>
    private static void PrintPostgres(TextWriter output, StorageReport report, PostgresStorageReport postgres)
    {
        var o = report.Options;
        output.WriteLine();
        Line(output, $"database: PostgreSQL {postgres.ServerVersion} ({postgres.Location}, a fresh database; Npgsql pooled connections over loopback TCP)");
        Line(output, $"stored: {postgres.StoredLoads} page loads, {postgres.StoredObjects} objects (the same generated loads, seed {o.Seed})");
        Line(output, $"filling: {postgres.SeedTime.TotalSeconds:F1} s through InsertAsync, one load per transaction; write ms median {ResultTable.Median(postgres.SeedWriteMs):F2}, p95 {ResultTable.Percentile(postgres.SeedWriteMs, 0.95):F2} while the database grew");
        Line(output, $"size: {Mib(postgres.DatabaseBytes)} MiB (pg_database_size) = {postgres.DatabaseBytes / (double)postgres.StoredLoads / 1024:F1} KiB per page load");
        output.WriteLine();
        Line(output, $"{"operation",-10} {"median ms",10} {"p95 ms",8} {"max ms",8} {"target",8}  {"",-4}  {"SQLite median",13}");
        foreach (var op in postgres.Operations)
        {
            var median = ResultTable.Median(op.Ms);
            var verdict = median < op.TargetMs ? "PASS" : "MISS";
            var sqlite = report.Operations.FirstOrDefault(s => s.Name == op.Name) is { } same ? ResultTable.Median(same.Ms).ToString("F3", CultureInfo.InvariantCulture) : "-";
            Line(output, $"{op.Name,-10} {median,10:F3} {ResultTable.Percentile(op.Ms, 0.95),8:F3} {op.Ms.Max(),8:F2} {"< " + op.TargetMs.ToString("F0", CultureInfo.InvariantCulture),8}  {verdict,-4}  {sqlite,13}");
        }
    }

    private static string Mib(long bytes) => (bytes / (1024.0 * 1024)).ToString("F1", CultureInfo.InvariantCulture);

    private static void Line(TextWriter output, FormattableString text) => output.WriteLine(text.ToString(CultureInfo.InvariantCulture));
}
