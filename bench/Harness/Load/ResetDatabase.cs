using System.Globalization;
using MhaRights.Server.Reporting;
using MhaRights.Server.Rights.Duties;
using Microsoft.Data.Sqlite;

namespace MhaRights.Bench.Load;

/// <summary>
/// Puts a generated database back to its generated state before a run, so every run starts from the same data
/// without copying a multi-gigabyte file. The load changes only what the write path touches: the awaiting duties of
/// the workload (updated), their new attempts, new audit events, idempotency records and API keys. The first reset
/// of a fresh dataset (before any server has opened it) saves those duties, their attempts' ids and the last audit
/// sequence into &lt;db&gt;.pristine; every reset then restores them and deletes everything added since.
/// </summary>
internal static class ResetDatabase
{
    public static int Run(Args args)
    {
        var path = Path.GetFullPath(args.Require("db"));
        var pristine = path + ".pristine";
        var workload = Workload.Read(path + ".workload");
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        // Foreign keys off: restoring a duty replaces its row while attempts still point at it.
        Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=OFF;");
        if (!File.Exists(pristine))
        {
            if (args.Flag("require-pristine"))
            {
                throw new InvalidOperationException($"{pristine} is missing and the database may have been changed since it was generated: regenerate it.");
            }

            Execute(connection, "CREATE TEMP TABLE PoolIds (Id TEXT PRIMARY KEY)");
            using (var insert = connection.CreateCommand())
            {
                insert.CommandText = "INSERT INTO PoolIds VALUES ($id)";
                var id = insert.Parameters.Add("$id", SqliteType.Text);
                using var transaction = connection.BeginTransaction();
                insert.Transaction = transaction;
                foreach (var duty in workload.Duties)
                {
                    id.Value = duty.DutyId;
                    insert.ExecuteNonQuery();
                }

                transaction.Commit();
            }

            Execute(connection, $"ATTACH DATABASE '{pristine}.tmp' AS p;" +
                "CREATE TABLE p.RightsDuties AS SELECT * FROM main.RightsDuties WHERE Id IN (SELECT Id FROM temp.PoolIds);" +
                "CREATE TABLE p.AttemptIds AS SELECT Id FROM main.ExplanationAttempts WHERE DutyId IN (SELECT Id FROM temp.PoolIds);" +
                "CREATE TABLE p.Meta AS SELECT COALESCE(MAX(Sequence), 0) AS MaxSequence FROM main.AuditEvents;" +
                "DETACH DATABASE p;");
            File.Move(pristine + ".tmp", pristine);
            Console.WriteLine($"Saved the generated state of {workload.Duties.Count:N0} workload duties to {pristine}.");
        }

        Execute(connection, $"ATTACH DATABASE '{pristine}' AS p;");
        var changed = new Dictionary<string, long>();
        using (var transaction = connection.BeginTransaction())
        {
            changed["attempts"] = Execute(connection, "DELETE FROM main.ExplanationAttempts WHERE DutyId IN (SELECT Id FROM p.RightsDuties) AND Id NOT IN (SELECT Id FROM p.AttemptIds)", transaction);
            changed["audit events"] = Execute(connection, "DELETE FROM main.AuditEvents WHERE Sequence > (SELECT MaxSequence FROM p.Meta)", transaction);
            changed["idempotency records"] = Execute(connection, "DELETE FROM main.IdempotencyRecords", transaction);
            changed["api keys"] = Execute(connection, "DELETE FROM main.ApiKeys", transaction);
            // The pristine copy may predate columns a later migration added: restore the columns it has, then
            // recompute the report projection of the restored duties from their attempts.
            var current = Columns(connection, "main");
            var saved = Columns(connection, "p");
            var common = string.Join(", ", saved.Where(current.Contains).Select(c => $"\"{c}\""));
            changed["duties restored"] = Execute(connection, $"INSERT OR REPLACE INTO main.RightsDuties ({common}) SELECT {common} FROM p.RightsDuties", transaction);
            if (current.Contains(nameof(RightsDuty.FirstUnderstoodTime)) && !saved.Contains(nameof(RightsDuty.FirstUnderstoodTime)))
            {
                changed["report projections recomputed"] = RecomputeReportFacts(connection, transaction);
            }

            transaction.Commit();
        }

        Execute(connection, "DETACH DATABASE p; PRAGMA wal_checkpoint(TRUNCATE);");
        using (var version = connection.CreateCommand())
        {
            version.CommandText = "SELECT sqlite_version()";
            Console.WriteLine($"SQLite {version.ExecuteScalar()}");
        }

        Console.WriteLine("Reset " + string.Join(", ", changed.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value:N0}"))));
        return 0;
    }

    private static HashSet<string> Columns(SqliteConnection connection, string schema)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name FROM pragma_table_info('RightsDuties', '{schema}')";
        using var reader = command.ExecuteReader();
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    /// <summary>The restored duties' DutyReportFacts columns, computed from their standing attempts as the service does.</summary>
    private static int RecomputeReportFacts(SqliteConnection connection, SqliteTransaction transaction)
    {
        var standing = new Dictionary<string, List<StandingAttempt>>(StringComparer.Ordinal);
        using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = """
                SELECT d.Id, a.AttemptTime, a.Outcome, a.Trigger, a.OralGiven, a.WrittenGiven
                FROM p.RightsDuties d LEFT JOIN main.ExplanationAttempts a ON a.DutyId = d.Id AND a.State = 'Recorded'
                """;
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                var id = reader.GetString(0);
                if (!standing.TryGetValue(id, out var list))
                {
                    standing[id] = list = [];
                }

                if (!reader.IsDBNull(1))
                {
                    list.Add(new StandingAttempt(
                        DateTime.Parse(reader.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.None),
                        Enum.Parse<AttemptOutcome>(reader.GetString(2)),
                        Enum.Parse<DutyTrigger>(reader.GetString(3)),
                        reader.GetBoolean(4),
                        reader.GetBoolean(5)));
                }
            }
        }

        using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = "UPDATE main.RightsDuties SET FirstUnderstoodTime = $u, RenewalAttempted = $r, TribunalAttempted = $t, LatestInformationTime = $l WHERE Id = $id";
        var (u, r, t, l, idParameter) = (update.Parameters.Add("$u", SqliteType.Text), update.Parameters.Add("$r", SqliteType.Integer),
            update.Parameters.Add("$t", SqliteType.Integer), update.Parameters.Add("$l", SqliteType.Text), update.Parameters.Add("$id", SqliteType.Text));
        foreach (var (id, attempts) in standing)
        {
            var duty = new RightsDuty { Id = id, PatientId = string.Empty, EpisodeId = string.Empty, Hospital = string.Empty };
            DutyReportFacts.Apply(duty, attempts);
            u.Value = Text(duty.FirstUnderstoodTime);
            r.Value = duty.RenewalAttempted ? 1 : 0;
            t.Value = duty.TribunalAttempted ? 1 : 0;
            l.Value = Text(duty.LatestInformationTime);
            idParameter.Value = id;
            update.ExecuteNonQuery();
        }

        return standing.Count;

        // EF Core's SQLite text form of a DateTime.
        static object Text(DateTime? time) => time is { } value ? value.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture) : DBNull.Value;
    }

    private static int Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.CommandTimeout = 0;
        return command.ExecuteNonQuery();
    }
}
