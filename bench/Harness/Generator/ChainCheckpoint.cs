using MhaRights.Server.Audit;
using Microsoft.Data.Sqlite;

namespace MhaRights.Bench.Generator;

/// <summary>
/// A signed checkpoint of a generated dataset's audit chain head, for the data folder of every run's service. Without
/// one, the service's first checkpoint verifies the chain from event 1: 23 million events read and hashed during the
/// timed loads. Run on the dataset in its generated state (after <c>reset</c>), so the head is the generator's own.
/// </summary>
internal static class ChainCheckpoint
{
    public static string PathFor(string dataset) => dataset + ".audit-checkpoints.log";

    public static async Task<int> RunAsync(Args args)
    {
        var db = Path.GetFullPath(args.Require("db"));
        var keyFile = args.Get("key") ?? DatasetGenerator.ChainKeyPath(db);
        var output = args.Get("out") ?? PathFor(db);
        if (!File.Exists(keyFile))
        {
            // A new key would sign a head its chain was not made with.
            throw new InvalidOperationException($"{keyFile} is missing: generate the dataset again.");
        }

        var key = DatasetGenerator.LoadChainKey(keyFile);

        await using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"Sequence\", \"Hash\" FROM \"AuditEvents\" ORDER BY \"Sequence\" DESC LIMIT 1";
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            throw new InvalidOperationException($"{db} has no audit events to checkpoint.");
        }

        var (sequence, hash, now) = (reader.GetInt64(0), reader.GetString(1), DateTime.UtcNow);
        var checkpoint = new AuditCheckpoint(sequence, hash, now, key.Sign(sequence, hash, now));
        await File.WriteAllTextAsync(output, checkpoint.ToLine() + "\n");
        Console.WriteLine($"Checkpoint of the audit chain head (event {sequence:N0}) written to {output}");
        return 0;
    }
}
