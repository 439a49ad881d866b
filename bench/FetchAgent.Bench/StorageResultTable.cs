using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;

namespace FetchAgent.Bench;

/// <summary>The storage bench's plain-text report: machine, database, then one row per operation with its target.</summary>
public static class StorageResultTable
{
    public static void Print(TextWriter output, StorageReport report)
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

    private static string Mib(long bytes) => (bytes / (1024.0 * 1024)).ToString("F1", CultureInfo.InvariantCulture);

    private static void Line(TextWriter output, FormattableString text) => output.WriteLine(text.ToString(CultureInfo.InvariantCulture));
}
