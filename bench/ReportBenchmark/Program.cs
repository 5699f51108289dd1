using System.Diagnostics;
using System.Globalization;
using System.Text;
using MhaRights.ReportBenchmark;
using MhaRights.Server.Hosting;
using MhaRights.Server.Persistence;
using MhaRights.Server.Reporting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

// Compliance report benchmark. Usage (from the repository root):
//   dotnet run -c Release --project bench/ReportBenchmark -- [--episodes 1000000] [--runs 5] [--seed 20261122]
//       [--db bench/out/report-benchmark.db] [--regenerate] [--skip-set-based] [--results bench/ReportBenchmark/RESULTS.md]
//   or, on an existing database (nothing generated; prints one JSON line with median/min/max ms and the episode count):
//   dotnet run -c Release --project bench/ReportBenchmark -- --database <file> [--runs 3] [--warmups 1] [--start 2021-01-01] [--end 2026-01-01] [--migrate]
// The database is generated once (fixed seed) and reused while its episode count matches; bench/out/ is git-ignored.
var options = BenchmarkOptions.Parse(args);
if (options.ExistingDatabase is not null || options.Postgres is not null)
{
    return await TimeExistingAsync(options);
}

Console.WriteLine($"Report benchmark: {options.Episodes:N0} episodes, {options.Runs} timed runs after {options.Warmups} warm-up, database {options.Database}");

var dataset = await EnsureDatasetAsync(options);
await using var app = BuildApp(options.Database);
var request = new ReportRequest(DatasetGenerator.PeriodStart, DatasetGenerator.PeriodEnd);
// As-of reports reproduce a past audit: timed over the last year of the data (about a fifth of the episodes).
var asOfRequest = new ReportRequest(new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), DatasetGenerator.PeriodEnd, AsOf: new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc));

var baseline = Measure(options, () => BaselineAsync(options.Database));
Console.WriteLine($"Baseline (COUNT(*) GROUP BY provision over the period's episodes): median {baseline.Median.TotalMilliseconds:F0} ms");
ComplianceReportResult? last = null;
var report = Measure(options, async () => last = await ReportAsync(app, request));
var setBased = options.SkipSetBased
    ? null
    : Measure(options with { Runs = 1, Warmups = 0 }, () => ReportAsync(app, request, setBased: true));
if (setBased is not null)
{
    Console.WriteLine($"GetComplianceReport (now, previous set-based SQL statement): {setBased.Median.TotalMilliseconds:F0} ms");
}

Console.WriteLine($"GetComplianceReport (now): median {report.Median.TotalMilliseconds:F0} ms (min {report.Min.TotalMilliseconds:F0}, max {report.Max.TotalMilliseconds:F0}, CPU {report.MedianCpu.TotalMilliseconds:F0} ms, load {report.LoadAverage})");
var asOf = Measure(options with { Runs = Math.Max(1, options.Runs / 2), Warmups = 0 }, () => ReportAsync(app, asOfRequest));
Console.WriteLine($"GetComplianceReport (2025 only, as of 2026-03-01): median {asOf.Median.TotalMilliseconds:F0} ms (CPU {asOf.MedianCpu.TotalMilliseconds:F0} ms)");

var initial = last!.Measure(MeasureCatalog.InitialWithinSla.Id).Headline;
Console.WriteLine($"Check: initial_within_sla {initial.Numerator:N0}/{initial.Denominator:N0} = {initial.Percentage:F1}%");
if (options.ResultsFile is not null)
{
    // The hand-written analysis below the marker survives a re-run; the measured part above it is replaced.
    const string Marker = "<!-- analysis (kept when the benchmark rewrites this file) -->";
    var previous = File.Exists(options.ResultsFile) ? await File.ReadAllTextAsync(options.ResultsFile) : string.Empty;
    var analysis = previous.Contains(Marker, StringComparison.Ordinal) ? previous[previous.IndexOf(Marker, StringComparison.Ordinal)..] : Marker + Environment.NewLine;
    await File.WriteAllTextAsync(options.ResultsFile, Results(options, dataset, baseline, report, setBased, asOf, last!) + Environment.NewLine + analysis);
    Console.WriteLine($"Wrote {options.ResultsFile}");
}

return 0;

static async Task<DatasetInfo> EnsureDatasetAsync(BenchmarkOptions options)
{
    var marker = options.Database + ".episodes";
    if (!options.Regenerate && File.Exists(options.Database) && File.Exists(marker)
        && (await File.ReadAllTextAsync(marker)).Trim() == options.Episodes.ToString(CultureInfo.InvariantCulture) + "/" + options.Seed.ToString(CultureInfo.InvariantCulture))
    {
        Console.WriteLine("Reusing the generated database.");
        return await DescribeAsync(options.Database, null);
    }

    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Database))!);
    foreach (var file in new[] { options.Database, options.Database + "-wal", options.Database + "-shm", marker })
    {
        File.Delete(file);
    }

    // The server's own migrations create the schema.
    await using (var app = BuildApp(options.Database))
    {
        await app.Services.InitializeDatabaseAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var model = scope.ServiceProvider.GetRequiredService<MhaRightsDbContext>();
        SqliteConnection.ClearAllPools();
        await using var connection = new SqliteConnection($"Data Source={options.Database};Pooling=False");
        await connection.OpenAsync();
        Console.WriteLine("Generating...");
        var summary = new DatasetGenerator(options.Episodes, options.Seed).Generate(model, connection, Console.WriteLine);
        Console.WriteLine($"Generated {summary.Episodes:N0} episodes in {summary.Elapsed.TotalSeconds:F0} s");
        await File.WriteAllTextAsync(marker, options.Episodes.ToString(CultureInfo.InvariantCulture) + "/" + options.Seed.ToString(CultureInfo.InvariantCulture));
        return await DescribeAsync(options.Database, summary.Elapsed);
    }
}

static async Task<DatasetInfo> DescribeAsync(string path, TimeSpan? generation)
{
    await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
    await connection.OpenAsync();
    async Task<long> Count(string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    await using var version = connection.CreateCommand();
    version.CommandText = "SELECT sqlite_version()";
    return new DatasetInfo(
        await Count("SELECT COUNT(*) FROM Patients"),
        await Count("SELECT COUNT(*) FROM LegalStatusEpisodes"),
        await Count("SELECT COUNT(*) FROM RightsDuties"),
        await Count("SELECT COUNT(*) FROM ExplanationAttempts"),
        await Count("SELECT COUNT(*) FROM AuditEvents"),
        new FileInfo(path).Length,
        (string)(await version.ExecuteScalarAsync())!,
        generation);
}

static WebApplication BuildApp(string database) => BuildAppOn(
    $"--Database:ConnectionString=Data Source={database};Pooling=True",
    "--Database:SqliteSynchronous=NORMAL");

static WebApplication BuildAppOn(params string[] databaseArgs)
{
    var builder = ServerApp.CreateBuilder(
    [
        .. databaseArgs,
        "--Sweeper:Enabled=false",
        "--Server:Url=",
        "--Logging:LogLevel:Default=Warning",
    ]);
    return ServerApp.Build(builder);
}

static async Task<ComplianceReportResult> ReportAsync(WebApplication app, ReportRequest request, bool setBased = false)
{
    await using var scope = app.Services.CreateAsyncScope();
    var service = scope.ServiceProvider.GetRequiredService<ComplianceReportService>();
    service.ForceSetBasedQuery = setBased;
    return await service.ComputeAsync(request, CancellationToken.None);
}

// Times the report on an existing database without generating anything; prints one JSON line. The database must
// already have the server's migrations (start the server once on it), or pass --migrate to apply them here (timed).
static async Task<int> TimeExistingAsync(BenchmarkOptions options)
{
    // SQLite file, or (--postgres) a PostgreSQL database the service's migrations made (bench/run.sh --postgres).
    var postgres = options.Postgres;
    var path = postgres is null ? options.ExistingDatabase! : "PostgreSQL";
    if (postgres is null && !File.Exists(path))
    {
        Console.Error.WriteLine($"No database at {path}");
        return 2;
    }

    await using var app = postgres is null ? BuildApp(path) : BuildAppOn("--Database:Provider=PostgreSql", $"--Database:ConnectionString={postgres}");
    Func<System.Data.Common.DbConnection> connect = postgres is null
        ? () => new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=True")
        : () => new Npgsql.NpgsqlConnection(postgres);
    double? migrationMs = null;
    await using (var scope = app.Services.CreateAsyncScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<MhaRightsDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
        if (pending.Count > 0)
        {
            if (!options.Migrate)
            {
                Console.Error.WriteLine($"{path} has pending migrations ({string.Join(", ", pending)}): start the server on it once, or pass --migrate (writes to the file).");
                return 3;
            }

            var clock = Stopwatch.StartNew();
            await app.Services.InitializeDatabaseAsync();
            migrationMs = clock.Elapsed.TotalMilliseconds;
            Console.Error.WriteLine($"Applied {string.Join(", ", pending)} in {migrationMs:F0} ms");
        }
    }

    var (start, end, episodes) = await PeriodAsync(connect, options);
    var request = new ReportRequest(start, end);
    var report = Measure(options, () => ReportAsync(app, request));
    var baseline = Measure(options, () => BaselineRangeAsync(connect, start, end));
    var inv = CultureInfo.InvariantCulture;
    Console.WriteLine(string.Create(inv, $$"""{"database":"{{System.Text.Encodings.Web.JavaScriptEncoder.Default.Encode(postgres is null ? Path.GetFullPath(path) : "postgresql")}}","period_start":"{{start:yyyy-MM-ddTHH:mm:ssZ}}","period_end":"{{end:yyyy-MM-ddTHH:mm:ssZ}}","episodes":{{episodes}},"runs":{{options.Runs}},"warmups":{{options.Warmups}},"median_ms":{{report.Median.TotalMilliseconds:F0}},"min_ms":{{report.Min.TotalMilliseconds:F0}},"max_ms":{{report.Max.TotalMilliseconds:F0}},"cpu_median_ms":{{report.MedianCpu.TotalMilliseconds:F0}},"baseline_median_ms":{{baseline.Median.TotalMilliseconds:F0}},"migration_ms":{{(migrationMs is { } m ? m.ToString("F0", inv) : "null")}},"load_average":"{{report.LoadAverage}}"}"""));
    return 0;
}

// The period: --start/--end, else every episode in the file (first start time to just after the last).
static async Task<(DateTime Start, DateTime End, long Episodes)> PeriodAsync(Func<System.Data.Common.DbConnection> connect, BenchmarkOptions options)
{
    // Quoted names and @parameters: the same text runs on SQLite and PostgreSQL.
    await using var connection = connect();
    await connection.OpenAsync();
    await using var range = connection.CreateCommand();
    range.CommandText = "SELECT MIN(\"StartTime\"), MAX(\"StartTime\") FROM \"LegalStatusEpisodes\"";
    DateTime start, end;
    await using (var reader = await range.ExecuteReaderAsync())
    {
        await reader.ReadAsync();
        start = options.Start ?? DateTime.SpecifyKind(reader.GetDateTime(0), DateTimeKind.Utc);
        end = options.End ?? DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc).AddSeconds(1);
    }

    await using var count = connection.CreateCommand();
    count.CommandText = "SELECT COUNT(*) FROM \"LegalStatusEpisodes\" WHERE \"StartTime\" >= @start AND \"StartTime\" < @end";
    AddRange(count, start, end);
    return (start, end, Convert.ToInt64(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture));
}

static Task BaselineAsync(string database) =>
    BaselineRangeAsync(() => new SqliteConnection($"Data Source={database};Pooling=True"), DatasetGenerator.PeriodStart, DatasetGenerator.PeriodEnd);

static async Task BaselineRangeAsync(Func<System.Data.Common.DbConnection> connect, DateTime start, DateTime end)
{
    await using var connection = connect();
    await connection.OpenAsync();
    await using var command = connection.CreateCommand();
    command.CommandText = "SELECT \"Provision\", COUNT(*) FROM \"LegalStatusEpisodes\" WHERE \"StartTime\" >= @start AND \"StartTime\" < @end GROUP BY \"Provision\"";
    AddRange(command, start, end);
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
        _ = reader.GetInt64(1);
    }
}

static void AddRange(System.Data.Common.DbCommand command, DateTime start, DateTime end)
{
    foreach (var (name, value) in new[] { ("@start", start), ("@end", end) })
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

static Timing Measure(BenchmarkOptions options, Func<Task> action)
{
    for (var i = 0; i < options.Warmups; i++)
    {
        action().GetAwaiter().GetResult();
    }

    var samples = new List<TimeSpan>();
    var cpu = new List<TimeSpan>();
    using var process = Process.GetCurrentProcess();
    for (var i = 0; i < options.Runs; i++)
    {
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        action().GetAwaiter().GetResult();
        samples.Add(clock.Elapsed);
        process.Refresh();
        cpu.Add(process.TotalProcessorTime - cpuBefore);
    }

    return new Timing(Median(samples), samples.Min(), samples.Max(), Median(cpu), MachineInfo.LoadAverage());

    static TimeSpan Median(List<TimeSpan> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}

static string Results(BenchmarkOptions options, DatasetInfo data, Timing baseline, Timing report, Timing? setBased, Timing asOf, ComplianceReportResult result)
{
    var target = TimeSpan.FromSeconds(5);
    var text = new StringBuilder();
    var inv = CultureInfo.InvariantCulture;
    text.AppendLine("# Compliance report benchmark results");
    text.AppendLine();
    text.AppendLine(inv, $"Generated by `bench/ReportBenchmark` on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC. Target (issue 9): the report over 1,000,000 episodes in at most {target.TotalSeconds:F0} s.");
    text.AppendLine();
    text.AppendLine("## Machine");
    text.AppendLine();
    text.AppendLine(inv, $"- CPU: {MachineInfo.Cpu()} ({Environment.ProcessorCount} logical processors, `nproc` = {Environment.ProcessorCount})");
    text.AppendLine(inv, $"- Memory: {MachineInfo.MemoryGiB():F1} GiB");
    text.AppendLine(inv, $"- OS: {System.Runtime.InteropServices.RuntimeInformation.OSDescription}; .NET {Environment.Version}; SQLite {data.SqliteVersion}");
    text.AppendLine();
    text.AppendLine("## Command");
    text.AppendLine();
    text.AppendLine("```bash");
    text.AppendLine(inv, $"dotnet run -c Release --project bench/ReportBenchmark -- --episodes {options.Episodes} --runs {options.Runs} --seed {options.Seed} --results bench/ReportBenchmark/RESULTS.md");
    text.AppendLine("```");
    text.AppendLine();
    text.AppendLine("## Dataset (fixed seed, written with the server's migrations and EF model into SQLite)");
    text.AppendLine();
    text.AppendLine(inv, $"| Patients | Episodes | Duties | Attempts | Audit events | File size |");
    text.AppendLine("|---:|---:|---:|---:|---:|---:|");
    text.AppendLine(inv, $"| {data.Patients:N0} | {data.Episodes:N0} | {data.Duties:N0} | {data.Attempts:N0} | {data.AuditEvents:N0} | {data.FileBytes / 1024.0 / 1024 / 1024:F2} GiB |");
    if (data.Generation is { } g)
    {
        text.AppendLine();
        text.AppendLine(inv, $"Generation took {g.TotalSeconds:F0} s.");
    }

    text.AppendLine();
    text.AppendLine(inv, $"## Timings ({options.Warmups} warm-up, {options.Runs} timed runs, median; period {DatasetGenerator.PeriodStart:yyyy-MM-dd} to {DatasetGenerator.PeriodEnd:yyyy-MM-dd}, all breakdowns)");
    text.AppendLine();
    text.AppendLine("| What | Median wall | Min | Max | Median process CPU | Ratio to baseline (wall) | Load average during runs |");
    text.AppendLine("|---|---:|---:|---:|---:|---:|---|");
    void Row(string name, Timing t) => text.AppendLine(inv, $"| {name} | {t.Median.TotalMilliseconds:N0} ms | {t.Min.TotalMilliseconds:N0} ms | {t.Max.TotalMilliseconds:N0} ms | {t.MedianCpu.TotalMilliseconds:N0} ms | {t.Median / baseline.Median:F1}x | {t.LoadAverage} |");
    Row("Baseline: `SELECT Provision, COUNT(*) FROM LegalStatusEpisodes WHERE StartTime in period GROUP BY Provision`", baseline);
    Row("GetComplianceReport (service layer, current record): streaming scan", report);
    if (setBased is not null)
    {
        Row("GetComplianceReport, previous set-based SQL statement (1 run, no warm-up)", setBased);
    }

    Row("GetComplianceReport for 2025 only (about 200,000 episodes) as of 2026-03-01 (audit-history path)", asOf);
    text.AppendLine();
    var met = report.Median <= target;
    text.AppendLine(inv, $"**Target {(met ? "met" : "not met")}**: {report.Median.TotalSeconds:F2} s against {target.TotalSeconds:F0} s for {data.Episodes:N0} episodes.");
    text.AppendLine();
    var initial = result.Measure(MeasureCatalog.InitialWithinSla.Id).Headline;
    text.AppendLine(inv, $"Sanity check from the last run: initial_within_sla = {initial.Numerator:N0} / {initial.Denominator:N0} ({initial.Percentage:F1}%).");
    return text.ToString();
}

internal sealed record BenchmarkOptions(int Episodes, int Runs, int Warmups, int Seed, string Database, bool Regenerate, string? ResultsFile)
{
    /// <summary>--database: time the report on this existing file (no generation, one JSON line).</summary>
    public string? ExistingDatabase { get; init; }

    /// <summary>--postgres: time the report on this PostgreSQL database (a connection string) instead of a file.</summary>
    public string? Postgres { get; init; }

    /// <summary>--migrate: apply pending migrations to the --database file first (it is written to).</summary>
    public bool Migrate { get; init; }

    /// <summary>--skip-set-based: do not time the previous set-based statement (about 40 s at 1,000,000 episodes).</summary>
    public bool SkipSetBased { get; init; }

    public DateTime? Start { get; init; }

    public DateTime? End { get; init; }

    public static BenchmarkOptions Parse(string[] args)
    {
        var options = new BenchmarkOptions(1_000_000, 5, 1, 20261122, Path.Combine("bench", "out", "report-benchmark.db"), false, null);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--episodes" => options with { Episodes = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--runs" => options with { Runs = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--warmups" => options with { Warmups = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--seed" => options with { Seed = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--db" => options with { Database = Next() },
                "--regenerate" => options with { Regenerate = true },
                "--results" => options with { ResultsFile = Next() },
                "--database" => options with { ExistingDatabase = Next() },
                "--migrate" => options with { Migrate = true },
                "--postgres" => options with { Postgres = Next() },
                "--skip-set-based" => options with { SkipSetBased = true },
                "--start" => options with { Start = DateTime.Parse(Next(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal) },
                "--end" => options with { End = DateTime.Parse(Next(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal) },
                _ => throw new ArgumentException($"Unknown option {args[i]}"),
            };
        }

        return options;
    }
}

internal sealed record Timing(TimeSpan Median, TimeSpan Min, TimeSpan Max, TimeSpan MedianCpu, string LoadAverage);

internal sealed record DatasetInfo(long Patients, long Episodes, long Duties, long Attempts, long AuditEvents, long FileBytes, string SqliteVersion, TimeSpan? Generation);

internal static class MachineInfo
{
    public static string Cpu() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown"
            : "unknown";

    /// <summary>The 1, 5 and 15 minute load averages (other work on the machine inflates wall-clock times).</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    public static double MemoryGiB()
    {
        var line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) : null;
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0 / 1024.0;
    }
}
