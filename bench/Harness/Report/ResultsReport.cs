using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MhaRights.Bench.Diagnose;
using MhaRights.Bench.Generator;
using MhaRights.Bench.Load;

namespace MhaRights.Bench.Report;

/// <summary>
/// Writes bench/RESULTS.md from one run directory of bench/run.sh: machine, command, dataset, every load (median of
/// the repetitions), the targets of issue 9 with their ratios to the baselines, and the diagnostics behind any miss.
/// </summary>
internal static class ResultsReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(Args args)
    {
        var run = args.Require("run");
        var meta = JsonSerializer.Deserialize<Dictionary<string, string>>(await File.ReadAllTextAsync(Path.Combine(run, "meta.json")))!;
        var dataset = JsonSerializer.Deserialize<DatasetSummary>(await File.ReadAllTextAsync(meta["dataset_json"]))!;
        var loads = Directory.GetFiles(Path.Combine(run, "results"), "*.json")
            .Select(f => JsonSerializer.Deserialize<LoadResult>(File.ReadAllText(f))!)
            .GroupBy(r => r.Label)
            .ToDictionary(g => g.Key, g => g.ToList());
        var diagnosePath = Path.Combine(run, "diagnose.json");
        var diagnose = File.Exists(diagnosePath)
            ? JsonSerializer.Deserialize<Dictionary<string, Diagnostics.RequestBreakdown>>(await File.ReadAllTextAsync(diagnosePath))
            : null;
        var importPath = Path.Combine(run, "import.txt");
        var import = File.Exists(importPath) ? await File.ReadAllLinesAsync(importPath) : null;
        var reportPath = Path.Combine(run, "report.json");
        var reportResults = File.Exists(reportPath) && new FileInfo(reportPath).Length > 0
            ? JsonSerializer.Deserialize<ReportTiming>(await File.ReadAllTextAsync(reportPath))
            : null;

        var text = Write(meta, dataset, loads, diagnose, import, reportResults);
        await File.WriteAllTextAsync(args.Require("out"), text);
        Console.WriteLine($"Wrote {args.Require("out")}");
        return 0;
    }

    private static string Write(
        Dictionary<string, string> meta, DatasetSummary dataset, Dictionary<string, List<LoadResult>> loads,
        Dictionary<string, Diagnostics.RequestBreakdown>? diagnose, string[]? import, ReportTiming? reportResults)
    {
        var s = new StringBuilder();
        void Line(FormattableString line) => s.AppendLine(line.ToString(Inv));
        Summary? Get(string label) => loads.TryGetValue(label, out var runs) ? Summary.Of(runs) : null;
        var echo = Get("echo-c16");
        var insert = Get("insert-c16");
        var record = Get("record-attempt-c16");
        var status = Get("rights-status-c16");
        var worklist = Get("worklist-c1");
        var scale = dataset.Rows.GetValueOrDefault("LegalStatusEpisodes").ToString("N0", Inv) + " episodes";
        var serviceLoads = loads.Values.SelectMany(x => x).Where(x => x.Target == "service").ToList();
        var maxRss = serviceLoads.Count == 0 ? 0 : serviceLoads.Max(x => x.ServerMaxRssMb);
        var hwm = serviceLoads.Count == 0 ? 0 : serviceLoads.Max(x => x.ServerHighWaterMb);

        Line($"# Load and scale benchmark results (issues 9 and 16){(meta.GetValueOrDefault("provider") == "postgres" ? ": PostgreSQL" : string.Empty)}");
        s.AppendLine();
        Line($"Written by `bench/run.sh` ({meta["mode"]} mode) from run `{meta["run_dir"]}`. Every number below is from that one run; ratios compare loads measured in the same run, interleaved, on the same hosting stack. Medians of {meta["reps"]} repetitions of {meta["duration"]} s each after {meta["warmup"]} s warm-up.");
        s.AppendLine();
        Line($"## Machine and command");
        s.AppendLine();
        Line($"- Date: {meta["started"]} to {meta["finished"]} (UTC); commit `{meta["commit"]}`{(meta["dirty"] == "true" ? " with uncommitted changes in the tree" : string.Empty)}");
        Line($"- CPU: {meta["cpu"]}, `nproc` = {meta["nproc"]}; memory {meta["memory"]}; {meta["os"]}; kernel {meta["kernel"]}; .NET SDK {meta["dotnet"]}; SQLite {meta["sqlite"]}");
        Line($"- Load average when the run started: {meta["loadavg_start"]}; when it finished: {meta["loadavg_end"]}. The machine is shared with other engineers' builds and tests: the `other CPU` column below is the machine's busy time in each measurement window not charged to the server or the load client (other processes, and kernel work such as loopback networking charged to no process), in cores (2 = the whole machine).");
        Line($"- Command: `{meta["command"]}`");
        if (meta.GetValueOrDefault("provider") == "postgres")
        {
            Line($"- Server: `dotnet MhaRights.Server.dll` (Release, its own process, started from its output folder so `appsettings.json` applies) `--Server:Url=http://127.0.0.1:{meta["service_port"]} --Database:Provider=PostgreSql --Database:ConnectionString=<run database> --Sweeper:Enabled=false`: {meta["postgres"]}. The dataset is the SQLite one below, copied row for row (`Harness pg-copy`) into a template database once and cloned for every run. Baselines: `bench/BaselineServer --postgres` (echo, and one autocommit INSERT per call on a pooled connection into the same cluster), same Kestrel h2c/ASP.NET Core gRPC stack. Client: `bench/Harness load` on the client SDK (retries off), sharing the 2 cores with the server and PostgreSQL.");
        }
        else
        {
            Line($"- Server: `dotnet MhaRights.Server.dll` (Release, its own process, started from its output folder so `appsettings.json` applies) `--Server:Url=http://127.0.0.1:{meta["service_port"]} --Database:ConnectionString=\"Data Source=<dataset>;Pooling=True\" --Sweeper:Enabled=false`: SQLite, WAL, synchronous=FULL (the defaults). Baselines: `bench/BaselineServer`, same Kestrel h2c/ASP.NET Core gRPC stack. Client: `bench/Harness load` on the client SDK (retries off), sharing the 2 cores with the server.");
        }

        s.AppendLine();

        Line($"## Dataset");
        s.AppendLine();
        Line($"Generated by `bench/Harness generate --episodes {dataset.Episodes} --seed {dataset.Seed}` ({dataset.Years} years of history up to {dataset.AsOf:yyyy-MM-dd}), bulk path described in bench/README.md, in {dataset.TotalSeconds:F0} s (rows {dataset.LoadSeconds:F0} s, indexes {dataset.IndexSeconds:F0} s) on this machine; file {dataset.FileBytes / 1e9:F2} GB.");
        s.AppendLine();
        Line($"| Table | Rows |");
        Line($"|---|---:|");
        foreach (var (table, rows) in dataset.Rows)
        {
            Line($"| {table} | {rows:N0} |");
        }

        s.AppendLine();
        Line($"Episodes by provision: {string.Join(", ", dataset.Provisions.OrderByDescending(p => p.Value).Select(p => string.Create(Inv, $"{p.Key} {p.Value:N0}")))}.");
        s.AppendLine();
        Line($"Open at {dataset.AsOf:yyyy-MM-dd}: {dataset.OpenEpisodesByProvision.Values.Sum():N0} episodes ({dataset.CurrentPatients:N0} current patients), {dataset.OpenDutiesByKindAndState.Values.Sum():N0} open duties; {dataset.WorkloadDuties:N0} explanation duties awaiting explanation (the record-attempt pool); {dataset.Wards:N0} wards with open duties.");
        s.AppendLine();

        Line($"## Targets");
        s.AppendLine();
        Line($"| Target (issue 9) | Measured | Ratio | Result |");
        Line($"|---|---|---|---|");
        if (record is not null && insert is not null)
        {
            var ratio = record.Throughput / insert.Throughput;
            Line($"| Record an explanation attempt, c=16: ≥ 0.5× one-row-insert baseline | {record.Throughput:N0}/s (p99 {record.P99:F1} ms) vs insert {insert.Throughput:N0}/s | {ratio:F2}× | {(ratio >= 0.5 ? "met" : "**missed**")} |");
        }

        if (status is not null && echo is not null)
        {
            var ratio = status.Throughput / echo.Throughput;
            Line($"| GetRightsStatus at {scale}, c=16: p99 ≤ 5 ms | p99 {status.P99:F1} ms (p50 {status.P50:F1}) | {status.P99 / 5:F1}× the limit | {(status.P99 <= 5 ? "met" : "**missed**")} |");
            Line($"| GetRightsStatus at {scale}, c=16: ≥ 0.3× echo throughput | {status.Throughput:N0}/s vs echo {echo.Throughput:N0}/s | {ratio:F2}× | {(ratio >= 0.3 ? "met" : "**missed**")} |");
        }

        if (worklist is not null)
        {
            Line($"| Ward worklist (hospital + ward, page 50) at {scale}: ≤ 20 ms | p99 {worklist.P99:F1} ms, p50 {worklist.P50:F1} ms (c=1) | {worklist.P99 / 20:F2}× the limit | {(worklist.P99 <= 20 ? "met" : "**missed**")} |");
        }

        // import.txt (run.sh): what was measured; the verdict; seconds for 100,000 rows; "measured" or "projected".
        var importSeconds = import is { Length: > 3 } && double.TryParse(import[2], NumberStyles.Float, Inv, out var secs) ? secs : (double?)null;
        var importRatio = importSeconds is { } full ? string.Create(Inv, $"{full / 30:F2}× the limit{(import![3] == "projected" ? " (projected)" : string.Empty)}") : string.Empty;
        Line($"| CSV import of 100,000 rows with `mharights import`: ≤ 30 s | {(import is { Length: > 0 } ? import[0] : "not measured")} | {importRatio} | {(import is { Length: > 1 } ? import[1] : "not measured")} |");
        var idle = meta.TryGetValue("server_idle_rss_kb", out var kb) && double.TryParse(kb, NumberStyles.Float, Inv, out var idleKb) ? idleKb / 1024 : 0;
        Line($"| Server memory under load: ≤ 300 MB | max VmRSS {maxRss:F0} MB, VmHWM {hwm:F0} MB over all service loads (idle after start: {idle:F0} MB) | {hwm / 300:F2}× the limit | {(hwm <= 300 ? "met" : "**missed**")} |");
        if (reportResults is { } rep)
        {
            var seconds = rep.MedianMs / 1000;
            Line($"| Compliance report over {rep.Episodes:N0} episodes (this dataset): ≤ 5 s | {seconds:F1} s median of {rep.Runs} (min {rep.MinMs / 1000:F1}, max {rep.MaxMs / 1000:F1}); baseline `GROUP BY` over the same episodes {rep.BaselineMedianMs / 1000:F2} s | {seconds / 5:F2}× the limit; {rep.MedianMs / Math.Max(1, rep.BaselineMedianMs):F1}× the baseline | {(seconds <= 5 ? "met" : "**missed**")} |");
        }
        else
        {
            Line($"| Compliance report over 1M episodes: ≤ 5 s | not measured in this run (see report.log) | | not measured |");
        }

        s.AppendLine();


        Line($"## All loads (median of repetitions)");
        s.AppendLine();
        Line($"| Load | c | Throughput/s | p50 ms | p90 ms | p99 ms | max ms | server CPU µs/req | client CPU µs/req | other CPU s/s | server RSS MB | errors | runs |");
        Line($"|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (label, runs) in loads.OrderBy(l => Order(l.Key)))
        {
            var m = Summary.Of(runs);
            Line($"| {label} | {runs[0].Concurrency} | {m.Throughput:N0} | {m.P50:F2} | {m.P90:F2} | {m.P99:F2} | {m.Max:F1} | {m.ServerCpu:N0} | {m.ClientCpu:N0} | {m.Other:F2} | {m.Rss:F0} | {m.Errors} | {string.Join(" / ", runs.Select(x => x.Throughput.ToString("N0", Inv)))} |");
        }

        if (loads.TryGetValue("mixed-c16", out var mixed))
        {
            s.AppendLine();
            Line($"Mixed load (50% GetRightsStatus, 20% ListDuties, 10% worklist, 20% RecordExplanationAttempt), per operation, last run: {string.Join("; ", mixed[^1].PerOperation.Select(p => string.Create(Inv, $"{p.Key} p50 {p.Value.P50:F1} / p99 {p.Value.P99:F1} ms")))}.");
        }

        if (diagnose is not null)
        {
            s.AppendLine();
            Line($"## Where the time goes (one request at a time, in-process server with an EF Core interceptor)");
            s.AppendLine();
            Line($"| Operation | client ms | server ms | DB round trips | in commands ms | pooled connection opens | open ms | commits | COMMIT ms | write gate held ms | distinct SQL |");
            Line($"|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var (name, d) in diagnose)
            {
                Line($"| {name} | {d.ClientMs:F2} | {d.ServerMs:F2} | {d.Commands:F1} | {d.CommandMs:F2} | {d.ConnectionOpens:F1} | {d.ConnectionOpenMs:F2} | {d.Commits:F1} | {d.CommitMs:F2} | {(d.Commits > 0 ? d.FirstCommandToCommitMs.ToString("F2", Inv) : "–")} | {d.DistinctStatements} |");
            }

            s.AppendLine();
            Line($"\"in commands\" runs from a command's execution until its reader is closed, so it includes EF Core materialising the rows; \"server ms\" minus that is ASP.NET Core, gRPC, authentication, EF Core's query pipeline and change tracking, and the service's own code.");
            if (diagnose.TryGetValue("record-attempt", out var write) && write.FirstCommandToCommitMs > 0 && record is not null && insert is not null)
            {
                s.AppendLine();
                Line($"A write holds the service's write gate (SQLite group commit: one writer connection, one unit of work at a time, each in a savepoint of a shared transaction) from entering it until it leaves, COMMIT included when it is the last of its batch ({write.FirstCommandToCommitMs:F2} ms one at a time here, where every write commits alone; under load several writes share one COMMIT). Writes are serialised there, so write throughput is one over the time in the gate: the {record.Throughput:N0}/s measured at c=16 means {1000 / record.Throughput:F1} ms per write in the gate, against {1000 / insert.Throughput:F2} ms per row for the baseline's serialised insert ({insert.Throughput:N0}/s).");
            }
        }

        s.AppendLine();
        s.Append(Analysis(meta));
        return s.ToString();
    }

    /// <summary>The hand-written analysis kept next to the script (bench/ANALYSIS.md), so a rerun keeps it.</summary>
    private static string Analysis(Dictionary<string, string> meta) =>
        meta.TryGetValue("analysis", out var path) && File.Exists(path) ? File.ReadAllText(path) : string.Empty;

    private static int Order(string label) =>
        label switch
        {
            "echo-c16" => 0, "echo-c1" => 1, "insert-c16" => 2, "record-attempt-c16" => 3, "rights-status-c16" => 4, "rights-status-c1" => 5,
            "list-duties-c16" => 6, "worklist-c1" => 7, "worklist-c16" => 8, "mixed-c16" => 9, _ => 10,
        };

    /// <summary>The JSON line bench/ReportBenchmark prints for <c>--database</c>.</summary>
    private sealed record ReportTiming(
        [property: JsonPropertyName("episodes")] long Episodes,
        [property: JsonPropertyName("runs")] int Runs,
        [property: JsonPropertyName("median_ms")] double MedianMs,
        [property: JsonPropertyName("min_ms")] double MinMs,
        [property: JsonPropertyName("max_ms")] double MaxMs,
        [property: JsonPropertyName("baseline_median_ms")] double BaselineMedianMs);

    /// <summary>Medians over repetitions.</summary>
    private sealed record Summary(double Throughput, double P50, double P90, double P99, double Max, double ServerCpu, double ClientCpu, double Other, double Rss, long Errors)
    {
        public static Summary Of(List<LoadResult> runs) => new(
            Median(runs.Select(r => r.Throughput)), Median(runs.Select(r => r.Latency.P50)), Median(runs.Select(r => r.Latency.P90)),
            Median(runs.Select(r => r.Latency.P99)), runs.Max(r => r.Latency.Max), Median(runs.Select(r => r.ServerCpuMicrosPerRequest)),
            Median(runs.Select(r => r.ClientCpuMicrosPerRequest)), Median(runs.Select(r => r.OtherCpuSeconds / r.Seconds)), runs.Max(r => r.ServerMaxRssMb),
            runs.Sum(r => r.Errors.Values.Sum()));

        private static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }
    }
}
