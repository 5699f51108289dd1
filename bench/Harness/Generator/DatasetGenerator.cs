using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using MhaRights.Server.Hosting;
using MhaRights.Server.Persistence;
using Microsoft.Data.Sqlite;

namespace MhaRights.Bench.Generator;

/// <summary>
/// The documented bulk path (bench/README.md): the server's own migrations create the schema; the secondary indexes
/// are dropped, every row goes in through prepared INSERTs in large transactions with journalling off, and the indexes
/// are recreated from their exact CREATE INDEX text, so the result is the schema the service migrates to. A second
/// thread simulates patients while this one writes.
/// </summary>
internal static class DatasetGenerator
{
    private const int RowsPerTransaction = 250_000;

    /// <summary>
    /// The audit chain key of a dataset: the service keys the chain with HMAC (Audit/AuditChainKey.cs) and verifies it
    /// when it writes checkpoints, so its runs on this dataset are given this file (<c>--Audit:ChainKeyFile</c>).
    /// </summary>
    public static string ChainKeyPath(string dataset) => dataset + ".audit-chain.key";

    /// <summary>The dataset's chain key: the file at <paramref name="path"/>, made as the service makes its own when missing.</summary>
    public static MhaRights.Server.Audit.AuditChainKey LoadChainKey(string path) =>
        MhaRights.Server.Audit.AuditChainKey.Load(new MhaRights.Server.Audit.AuditOptions { ChainKeyFile = path }, new DatabaseOptions());

    public static async Task<int> RunAsync(Args args)
    {
        var episodes = args.Int("episodes", 1_000_000);
        var seed = args.Int("seed", 20261122);
        var years = args.Int("years", 10);
        var asOf = DateTime.SpecifyKind(DateTime.Parse(args.Get("as-of") ?? "2026-11-01T00:00:00Z", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal), DateTimeKind.Utc);
        var path = Path.GetFullPath(args.Get("db") ?? "bench/out/dataset.db");
        if (asOf > DateTime.UtcNow)
        {
            throw new InvalidOperationException($"--as-of {asOf:O} is in the future: explanation attempts must be in the past for the service to accept them.");
        }

        Console.WriteLine($"Generating {episodes:N0} episodes (seed {seed}, {years} years to {asOf:yyyy-MM-dd}) into {path}");
        var total = Stopwatch.StartNew();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + ".workload", path + ".json", path + ".pristine", ChainKeyPath(path), ChainCheckpoint.PathFor(path) })
        {
            File.Delete(file);
        }

        var chainKey = LoadChainKey(ChainKeyPath(path)); // deleted above: a new key

        await MigrateAsync(path);
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        Execute(connection, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF; PRAGMA locking_mode=EXCLUSIVE; PRAGMA cache_size=-1000000; PRAGMA temp_store=MEMORY;");
        var indexes = SecondaryIndexes(connection);
        foreach (var (name, _) in indexes)
        {
            Execute(connection, $"DROP INDEX \"{name}\"");
        }

        // Simulation on a second thread; audit hashes are chained there too (they are sequential anyway).
        var simulator = new PatientSimulator(seed, asOf, years, chainKey);
        var channel = Channel.CreateBounded<PatientBatch>(new BoundedChannelOptions(64) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(async () =>
        {
            var made = 0L;
            while (made < episodes)
            {
                var batch = simulator.Next();
                made += batch.Episodes.Count;
                await channel.Writer.WriteAsync(batch);
            }

            channel.Writer.Complete();
        });

        var load = Stopwatch.StartNew();
        using var writer = new DatasetWriter(connection);
        Execute(connection, "BEGIN");
        long rows = 0, written = 0, lastReport = 0;
        var episodesWritten = 0L;
        var provisions = new Dictionary<string, long>(StringComparer.Ordinal);
        var openEpisodes = new Dictionary<string, long>(StringComparer.Ordinal);
        var openDuties = new Dictionary<string, long>(StringComparer.Ordinal);
        var writing = new Stopwatch();
        await foreach (var batch in channel.Reader.ReadAllAsync())
        {
            writing.Start();
            writer.Write(batch);
            writing.Stop();
            rows += batch.RowCount;
            written += batch.RowCount;
            episodesWritten += batch.Episodes.Count;
            foreach (var e in batch.Episodes)
            {
                Increment(provisions, e.Provision.ToString());
                if (e.State is Server.LegalStatus.EpisodeState.Active or Server.LegalStatus.EpisodeState.Recalled)
                {
                    Increment(openEpisodes, e.Provision.ToString());
                }
            }

            foreach (var d in batch.Duties.Where(d => Server.Workflow.DutyWorkflow.IsOpen(d.State)))
            {
                Increment(openDuties, $"{d.Kind}/{d.State}");
            }

            if (rows >= RowsPerTransaction)
            {
                writer.Flush();
                Execute(connection, "COMMIT; BEGIN");
                rows = 0;
            }

            if (episodesWritten - lastReport >= 100_000)
            {
                lastReport = episodesWritten;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {episodesWritten:N0} episodes, {written:N0} rows, {load.Elapsed.TotalSeconds:F0} s"));
            }
        }

        writer.Flush();
        Execute(connection, "COMMIT");
        await producer;
        var loadTime = load.Elapsed;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Writer busy {writing.Elapsed.TotalSeconds:F1} s, GC {GC.GetTotalPauseDuration().TotalSeconds:F1} s, CPU {Environment.CpuUsage.UserTime.TotalSeconds:F1} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Rows written in {loadTime.TotalSeconds:F0} s; recreating {indexes.Count} indexes..."));

        var indexClock = Stopwatch.StartNew();
        foreach (var (name, sql) in indexes)
        {
            var one = Stopwatch.StartNew();
            Execute(connection, sql);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name}: {one.Elapsed.TotalSeconds:F1} s"));
        }

        var indexTime = indexClock.Elapsed;
        // Back to what the service expects: WAL (persistent in the file), normal locking. No ANALYZE: the service
        // never runs it, so the query planner sees what it sees in production.
        Execute(connection, "PRAGMA locking_mode=NORMAL; PRAGMA journal_mode=WAL;");
        await connection.CloseAsync();

        Workload.Write(path + ".workload", asOf, simulator.WorkloadPatients, simulator.WorkloadDuties, simulator.Wards);
        var summary = new DatasetSummary
        {
            Episodes = args.Int("episodes", 1_000_000),
            Seed = seed,
            Years = years,
            AsOf = asOf,
            Rows = writer.Counts.ToDictionary(),
            Provisions = provisions,
            OpenEpisodesByProvision = openEpisodes,
            OpenDutiesByKindAndState = openDuties,
            WorkloadPatients = simulator.WorkloadPatients.Count,
            CurrentPatients = simulator.WorkloadPatients.Count(p => p.Current),
            WorkloadDuties = simulator.WorkloadDuties.Count,
            Wards = simulator.Wards.Count,
            LoadSeconds = loadTime.TotalSeconds,
            IndexSeconds = indexTime.TotalSeconds,
            TotalSeconds = total.Elapsed.TotalSeconds,
            FileBytes = new FileInfo(path).Length,
        };
        await File.WriteAllTextAsync(path + ".json", JsonSerializer.Serialize(summary, JsonOptions.Indented));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Done in {total.Elapsed.TotalSeconds:F0} s (rows {loadTime.TotalSeconds:F0} s, indexes {indexTime.TotalSeconds:F0} s): {summary.Rows["Patients"]:N0} patients, {summary.Rows["LegalStatusEpisodes"]:N0} episodes, {summary.Rows["RightsDuties"]:N0} duties, {summary.Rows["ExplanationAttempts"]:N0} attempts, {summary.Rows["AuditEvents"]:N0} audit events, {summary.FileBytes / 1e9:F2} GB"));
        return 0;
    }

    /// <summary>Runs the server's migrations through its own composition root (what PrepareAsync does on start,
    /// without the bootstrap key: the server creates that when it first starts on this file).</summary>
    private static async Task MigrateAsync(string path)
    {
        var builder = ServerApp.CreateBuilder(
        [
            $"--Database:ConnectionString=Data Source={path};Pooling=False",
            $"--Database:DataDirectory={Path.GetDirectoryName(path)}",
            "--Server:Url=",
            "--Sweeper:Enabled=false",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await using var app = ServerApp.Build(builder);
        await app.Services.InitializeDatabaseAsync();
        SqliteConnection.ClearAllPools();
    }

    private static List<(string Name, string Sql)> SecondaryIndexes(SqliteConnection connection)
    {
        var result = new List<(string, string)>();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name NOT LIKE '\\_\\_%' ESCAPE '\\' ORDER BY name";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add((reader.GetString(0), reader.GetString(1)));
        }

        return result;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        command.ExecuteNonQuery();
    }

    private static void Increment(Dictionary<string, long> counts, string key) =>
        counts[key] = counts.GetValueOrDefault(key) + 1;
}

/// <summary>What the generator wrote (&lt;db&gt;.json), quoted in RESULTS.md.</summary>
internal sealed class DatasetSummary
{
    public long Episodes { get; init; }

    public int Seed { get; init; }

    public int Years { get; init; }

    public DateTime AsOf { get; init; }

    public Dictionary<string, long> Rows { get; init; } = [];

    public Dictionary<string, long> Provisions { get; init; } = [];

    public Dictionary<string, long> OpenEpisodesByProvision { get; init; } = [];

    public Dictionary<string, long> OpenDutiesByKindAndState { get; init; } = [];

    public int WorkloadPatients { get; init; }

    public int CurrentPatients { get; init; }

    public int WorkloadDuties { get; init; }

    public int Wards { get; init; }

    public double LoadSeconds { get; init; }

    public double IndexSeconds { get; init; }

    public double TotalSeconds { get; init; }

    public long FileBytes { get; init; }
}
