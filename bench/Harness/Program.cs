using MhaRights.Bench;
using MhaRights.Bench.Generator;

// bench/run.sh drives these; each is usable on its own (see bench/README.md):
//   generate  --episodes N --seed S --db PATH                dataset + PATH.workload + PATH.json
//   setup-key --address URL --bootstrap-key FILE --out FILE   creates the mha-office key for the load
//   reset     --db PATH                                      back to the generated state (before each run)
//   load      --target service|baseline --op OP ...           closed-loop load, JSON result
//   diagnose  --db PATH --workload PATH --out FILE            in-process: DB round trips and time split per request
//   import-csv --rows N --out FILE                           a CSV for `mharights import`
//   report    --run DIR --out bench/RESULTS.md                writes the results table
//   pg-copy   --db PATH --postgres CONNSTRING                the dataset into a freshly migrated PostgreSQL database
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: MhaRights.Bench.Harness generate|setup-key|load|diagnose|report [--options]");
    return 2;
}

var options = new Args(args[1..]);
return args[0] switch
{
    "generate" => await DatasetGenerator.RunAsync(options),
    "chain-checkpoint" => await ChainCheckpoint.RunAsync(options),
    "simulate" => Simulate(options),
    "setup-key" => await MhaRights.Bench.Load.SetupKey.RunAsync(options),
    "reset" => MhaRights.Bench.Load.ResetDatabase.Run(options),
    "diagnose" => await MhaRights.Bench.Diagnose.Diagnostics.RunAsync(options),
    "report" => await MhaRights.Bench.Report.ResultsReport.RunAsync(options),
    "import-csv" => MhaRights.Bench.Load.ImportCsv.Run(options),
    "load" => await MhaRights.Bench.Load.LoadDriver.RunAsync(options),
    "pg-copy" => await MhaRights.Bench.Postgres.PostgresCopy.RunAsync(options),
    _ => Usage(args[0]),
};

// Times the simulation alone (no SQLite), to see which side of the generator is the bottleneck.
static int Simulate(Args options)
{
    var clock = System.Diagnostics.Stopwatch.StartNew();
    var simulator = new PatientSimulator(options.Int("seed", 20261122), new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc), 10,
        new MhaRights.Server.Audit.AuditChainKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
    long episodes = 0, rows = 0;
    while (episodes < options.Int("episodes", 50_000))
    {
        var batch = simulator.Next();
        episodes += batch.Episodes.Count;
        rows += batch.RowCount;
    }

    Console.WriteLine($"{episodes:N0} episodes, {rows:N0} rows simulated in {clock.Elapsed.TotalSeconds:F1} s");
    return 0;
}

static int Usage(string command)
{
    Console.Error.WriteLine($"unknown command '{command}'");
    return 2;
}
