using System.Globalization;
using System.Text;
using MhaRights.Server.LegalStatus;
using MhaRights.Server.Patients;
using MhaRights.Server.Persistence;
using MhaRights.Server.Rights.Duties;
using MhaRights.Server.Rights.Rules;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace MhaRights.Server.Reporting.Queries;

/// <summary>
/// The current-record report on SQLite as sequential scans aggregated in memory, instead of the set-based
/// statement's nested-loop joins (SQLite has no hash join; the joins cost ~40-70 µs per episode at 1,000,000 episodes).
/// <list type="number">
/// <item>The population's episodes (the same LINQ as the SQL path, read through the covering index
/// IX_LegalStatusEpisodes_Report) into a dictionary; the patients' breakdown columns (IX_Patients_Report) and the
/// fired tribunal triggers alongside, on a second connection.</item>
/// <item>Each patient's latest IMHA information (IX_ExplanationAttempts_Report, one index range), on the same second
/// connection.</item>
/// <item>All duties (IX_RightsDuties_Report), one pass over one narrow index split into key ranges read in parallel:
/// what the measures need from a duty's attempts is projected onto the duty row (Reporting/DutyReportFacts), so the
/// attempts themselves are not read. Each duty of a population episode is evaluated with the measures' own expression
/// trees compiled to delegates (<see cref="DutyFactEvaluator"/>) and summed into its episode.</item>
/// <item>Episodes are grouped into the same <see cref="ReportCell"/>s the SQL path returns.</item>
/// </list>
/// </summary>
internal sealed class ReportScan
{
    private const string DutyIndex = "IX_RightsDuties_Report";
    private const string AttemptIndex = "IX_ExplanationAttempts_Report";
    private const string PatientIndex = "IX_Patients_Report";
    private const string EpisodeIndex = "IX_LegalStatusEpisodes_Report";

    /// <summary>SQLite page cache per connection while the report reads (KiB).</summary>
    private const int CacheKib = 131072;

    private readonly MhaRightsDbContext _db;
    private readonly ComplianceQueries _queries;
    private readonly DateTime _t;
    private readonly string _connectionString;
    private readonly DutyFactEvaluator _evaluator;

    // Episodes of the population, by position.
    private readonly Dictionary<string, int> _episodeIndex = new(StringComparer.Ordinal);
    private readonly List<EpisodeRow> _episodes = [];
    private Dictionary<string, PatientRow> _patients = new(StringComparer.Ordinal);
    private Dictionary<string, List<DateTime>> _firedTribunal = new(StringComparer.Ordinal);

    // Each patient's latest standing attempt that gave the IMHA information (s130D measure).
    private Dictionary<string, DateTime> _latestImha = new(StringComparer.Ordinal);

    // Standing attempts that answered communication needs, of patients with an adjustment record, by duty: few rows
    // (about one in forty attempts), counted into the duty's episode by the duty pass.
    private Dictionary<string, (int Attempts, int Unmet)> _communication = new(StringComparer.Ordinal);

    public ReportScan(MhaRightsDbContext db, ComplianceQueries queries, ReportMonths months, DateTime t)
    {
        _db = db;
        _queries = queries;
        _t = t;
        _connectionString = db.Database.GetConnectionString() ?? throw new InvalidOperationException("No connection string.");
        _evaluator = queries.CompileForMemory(months);
    }

    /// <summary>
    /// Whether the scan applies: SQLite, the current record (as-of reports need the audit history) and the covering
    /// indexes present (a database not yet migrated falls back to the set-based statement).
    /// </summary>
    public static async Task<bool> AppliesAsync(MhaRightsDbContext db, ReportRequest request, CancellationToken cancellationToken)
    {
        if (request.AsOf is not null || !db.Database.IsSqlite())
        {
            return false;
        }

        var present = await db.Database
            .SqlQueryRaw<long>(
                "SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'index' AND name IN ({0}, {1}, {2}, {3})",
                DutyIndex, AttemptIndex, PatientIndex, EpisodeIndex)
            .SingleAsync(cancellationToken);
        return present == 4;
    }

    /// <summary>
    /// The unmet-communication-needs measure's cells (<see cref="ComplianceQueries.CommunicationCellsAsync"/>'s
    /// counts, from the same pass), once <see cref="CellsAsync"/> has run.
    /// </summary>
    public IReadOnlyList<CommunicationCell> CommunicationCells { get; private set; } = [];

    public async Task<List<ReportCell>> CellsAsync(DateTime periodStart, DateTime periodEnd, int partitions, CancellationToken cancellationToken)
    {
        // SQLite's async calls complete synchronously, so each reader gets its own thread and connection.
        var side = Task.Run(() => ReadPatientsAndTriggers(partitions, cancellationToken), cancellationToken);
        await Task.Run(() => ReadEpisodes(periodStart, periodEnd, cancellationToken), cancellationToken);
        var boundaries = await side;
        foreach (var (episode, fireTimes) in _firedTribunal)
        {
            if (_episodeIndex.TryGetValue(episode, out var index))
            {
                _episodes[index].FireTimes = fireTimes;
            }
        }

        var parts = await Task.WhenAll(Enumerable.Range(0, boundaries.Count + 1).Select(i => Task.Run(
            () => ScanDuties(i == 0 ? null : boundaries[i - 1], i == boundaries.Count ? null : boundaries[i], cancellationToken),
            cancellationToken)));
        return Cells(parts);
    }

    private void ReadEpisodes(DateTime periodStart, DateTime periodEnd, CancellationToken cancellationToken)
    {
        // The population is the LINQ of the SQL path (one definition); only the reading is done here.
        var query = _queries.Episodes(periodStart, periodEnd)
            .Select(e => new { e.Id, e.PatientId, e.Provision, e.StartTime, e.RenewalCount, e.LastRenewalTime });
        using var connection = Open();
        using var command = (SqliteCommand)query.CreateDbCommand();
        using var rows = new RawStatement(connection, command.CommandText);
        foreach (SqliteParameter parameter in command.Parameters)
        {
            rows.Bind(parameter.ParameterName, parameter.Value);
        }

        while (rows.Step())
        {
            cancellationToken.ThrowIfCancellationRequested();
            _episodeIndex[rows.String(0)] = _episodes.Count;
            _episodes.Add(new EpisodeRow(
                rows.String(1),
                EnumText<Provision>.Parse(rows.Text(2)),
                SqliteText.DateTime(rows.Text(3)),
                rows.Int(4),
                rows.IsNull(5) ? null : SqliteText.DateTime(rows.Text(5))));
        }
    }

    /// <summary>
    /// Patients, the attempts' facts the duty pass needs (communication needs answered, each patient's IMHA
    /// information), fired tribunal triggers and the duty-key boundaries of the parallel ranges.
    /// </summary>
    private List<string> ReadPatientsAndTriggers(int partitions, CancellationToken cancellationToken)
    {
        using var connection = Open();
        var patients = new Dictionary<string, PatientRow>(StringComparer.Ordinal);
        using (var rows = new RawStatement(connection, $"SELECT \"Id\", \"EthnicCategory\", \"Sex\", \"DateOfBirth\" FROM \"Patients\" INDEXED BY \"{PatientIndex}\""))
        {
            while (rows.Step())
            {
                cancellationToken.ThrowIfCancellationRequested();
                patients[rows.String(0)] = new PatientRow(
                    rows.IsNull(1) ? null : rows.String(1),
                    EnumText<PatientSex>.Parse(rows.Text(2)),
                    rows.IsNull(3) ? null : SqliteText.Date(rows.Text(3)));
            }
        }

        _patients = patients;

        // As CommunicationCellsAsync: standing attempts with answered needs, of patients with an adjustment record.
        var communication = new Dictionary<string, (int Attempts, int Unmet)>(StringComparer.Ordinal);
        using (var rows = new RawStatement(connection, """
            SELECT "DutyId", "UnmetCommunicationNeeds" FROM "ExplanationAttempts"
            WHERE "CommunicationNeedsJson" IS NOT NULL AND "State" = 'Recorded' AND "PatientId" IN (SELECT "PatientId" FROM "AdjustmentRecords")
            """))
        {
            while (rows.Step())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var duty = rows.String(0);
                var (attempts, unmet) = communication.GetValueOrDefault(duty);
                communication[duty] = (attempts + 1, unmet + (rows.Int(1) > 0 ? 1 : 0));
            }
        }

        _communication = communication;

        var imha = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        using (var rows = new RawStatement(connection, $"""
            SELECT "PatientId", "AttemptTime" FROM "ExplanationAttempts" INDEXED BY "{AttemptIndex}"
            WHERE "ImhaInformationGiven" = 1 AND "State" = 'Recorded'
            """))
        {
            while (rows.Step())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var patient = rows.String(0);
                var time = SqliteText.DateTime(rows.Text(1));
                if (!imha.TryGetValue(patient, out var latest) || time > latest)
                {
                    imha[patient] = time;
                }
            }
        }

        _latestImha = imha;

        // Few rows: read through EF with the same predicate as the SQL path's subquery.
        var t = _t;
        using (var command = _db.ScheduledTriggers.AsNoTracking()
            .Where(st => (st.Trigger == DutyTrigger.TribunalWindow || st.Trigger == DutyTrigger.AutomaticReference) && st.FiredTime != null && st.FiredTime <= t)
            .Select(st => new { st.EpisodeId, st.FireTime })
            .CreateDbCommand())
        {
            command.Connection = connection;
            using var reader = command.ExecuteReader();
            var fired = new Dictionary<string, List<DateTime>>(StringComparer.Ordinal);
            while (reader.Read())
            {
                var episode = reader.GetString(0);
                if (!fired.TryGetValue(episode, out var list))
                {
                    fired[episode] = list = [];
                }

                list.Add(SqliteText.DateTime(reader.GetString(1)));
            }

            _firedTribunal = fired;
        }

        var boundaries = new List<string>();
        if (partitions > 1)
        {
            using var count = connection.CreateCommand();
            count.CommandText = "SELECT COALESCE(MAX(rowid), 0) FROM \"RightsDuties\"";
            var rows = Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
            for (var i = 1; i < partitions && rows > 0; i++)
            {
                using var command = connection.CreateCommand();
                command.CommandText = $"SELECT \"Id\" FROM \"RightsDuties\" INDEXED BY \"{DutyIndex}\" ORDER BY \"Id\" LIMIT 1 OFFSET $offset";
                command.Parameters.AddWithValue("$offset", rows * i / partitions);
                if (command.ExecuteScalar() is string id && (boundaries.Count == 0 || string.CompareOrdinal(boundaries[^1], id) < 0))
                {
                    boundaries.Add(id);
                }
            }
        }

        return boundaries;
    }

    /// <summary>One key range [from, to) of the duties, read from the covering index.</summary>
    private Partial ScanDuties(string? from, string? to, CancellationToken cancellationToken)
    {
        var result = new Partial(_episodes.Count);
        var lookups = new DutyLookups(_latestImha);
        var episodes = _episodeIndex.GetAlternateLookup<ReadOnlySpan<char>>();
        var communication = _communication.GetAlternateLookup<ReadOnlySpan<char>>();
        using var connection = Open();
        using var duties = new RawStatement(connection, $"""
            SELECT "Id", "EpisodeId", "PatientId", "Kind", "State", "Trigger", "Provision", "OpenTime", "DueTime", "ResolvedTime", "FirstAttemptTime",
                "AttemptCount", "NextAttemptTime", "FirstUnderstoodTime", "RenewalAttempted", "TribunalAttempted", "LatestInformationTime"
            FROM "RightsDuties" INDEXED BY "{DutyIndex}" WHERE {Range("Id", from, to)}
            """);
        if (from is not null)
        {
            duties.Bind("$from", from);
        }

        if (to is not null)
        {
            duties.Bind("$to", to);
        }

        var duty = NewDuty();
        var episode = new LegalStatusEpisode { Id = string.Empty, PatientId = string.Empty, Hospital = string.Empty };
        Span<char> key = stackalloc char[128];
        Span<char> dutyKey = stackalloc char[128];
        while (duties.Step())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!episodes.TryGetValue(Chars(duties.Text(1), key), out var index))
            {
                continue;
            }

            if (_communication.Count > 0 && communication.TryGetValue(Chars(duties.Text(0), dutyKey), out var answered))
            {
                result.CommunicationAttempts[index] += answered.Attempts;
                result.CommunicationUnmet[index] += answered.Unmet;
            }

            // Column by column (SqliteColumns makes a read a few nanoseconds; concatenating them in SQL cost SQLite far more).
            duty.Kind = EnumText<DutyKind>.Parse(duties.Text(3));
            duty.State = EnumText<DutyState>.Parse(duties.Text(4));
            duty.Trigger = EnumText<DutyTrigger>.Parse(duties.Text(5));
            duty.Provision = EnumText<Provision>.Parse(duties.Text(6));
            duty.OpenTime = SqliteText.DateTime(duties.Text(7));
            duty.DueTime = NullableTime(duties.Text(8));
            duty.ResolvedTime = NullableTime(duties.Text(9));
            duty.FirstAttemptTime = NullableTime(duties.Text(10));
            duty.AttemptCount = duties.Int(11);
            duty.NextAttemptTime = NullableTime(duties.Text(12));
            duty.FirstUnderstoodTime = NullableTime(duties.Text(13));
            duty.RenewalAttempted = duties.Int(14) != 0;
            duty.TribunalAttempted = duties.Int(15) != 0;
            duty.LatestInformationTime = NullableTime(duties.Text(16));

            // Only the s130D measure looks the patient up (IMHA information given on any of the patient's duties).
            duty.PatientId = duty.Kind == DutyKind.Section130D ? duties.String(2) : string.Empty;
            Evaluate(duty, episode, index, lookups, result);
        }

        return result;
    }

    private void Evaluate(RightsDuty duty, LegalStatusEpisode episode, int index, DutyLookups lookups, Partial into)
    {
        var row = _episodes[index];
        lookups.FireTimes = row.FireTimes;
        episode.Provision = row.Provision;
        episode.StartTime = row.StartTime;
        episode.RenewalCount = row.RenewalCount;
        episode.LastRenewalTime = row.LastRenewalTime;
        into.HasDuty[index] = true;
        into.PackA[index] += _evaluator.PackA(duty, episode, lookups);
        into.PackB[index] += _evaluator.PackB(duty, episode, lookups);
        into.PackC[index] += _evaluator.PackC(duty, episode, lookups);
        into.First[index] = Max(into.First[index], _evaluator.FirstSeconds(duty, episode, lookups));
        into.Understood[index] = Max(into.Understood[index], _evaluator.UnderstoodSeconds(duty, episode, lookups));
    }

    /// <summary>Sums the ranges per episode (as the SQL's per-episode GROUP BY), then groups episodes into cells.</summary>
    private List<ReportCell> Cells(Partial[] parts)
    {
        var total = parts[0];
        foreach (var part in parts.Skip(1))
        {
            for (var i = 0; i < _episodes.Count; i++)
            {
                total.HasDuty[i] |= part.HasDuty[i];
                total.PackA[i] += part.PackA[i];
                total.PackB[i] += part.PackB[i];
                total.PackC[i] += part.PackC[i];
                total.First[i] = Max(total.First[i], part.First[i]);
                total.Understood[i] = Max(total.Understood[i], part.Understood[i]);
                total.CommunicationAttempts[i] += part.CommunicationAttempts[i];
                total.CommunicationUnmet[i] += part.CommunicationUnmet[i];
            }
        }

        var cells = new Dictionary<(Provision, string?, PatientSex, int, int), CellSums>();
        for (var i = 0; i < _episodes.Count; i++)
        {
            if (!total.HasDuty[i])
            {
                continue;
            }

            var row = _episodes[i];
            var patient = _patients.TryGetValue(row.PatientId, out var p) ? p : throw new InvalidOperationException($"Episode patient {row.PatientId} not found.");
            var key = (row.Provision, patient.Ethnic, patient.Sex, _evaluator.AgeBand(row.StartTime, patient.DateOfBirth), _evaluator.MonthIndex(row.StartTime));
            if (!cells.TryGetValue(key, out var sums))
            {
                cells[key] = sums = new CellSums();
            }

            sums.Episodes++;
            sums.CommunicationAttempts += total.CommunicationAttempts[i];
            sums.CommunicationUnmet += total.CommunicationUnmet[i];
            long a = total.PackA[i], b = total.PackB[i], c = total.PackC[i];
            var counters = sums.Counters;
            counters[(int)Counter.InitialDen] += Field(a, 0);
            counters[(int)Counter.ChangeDen] += Field(a, 2);
            counters[(int)Counter.ChangeNum] += Field(a, 3);
            counters[(int)Counter.RecallDen] += Field(a, 4);
            counters[(int)Counter.RecallNum] += Field(a, 5);
            counters[(int)Counter.RepeatDen] += Field(a, 6);
            counters[(int)Counter.RepeatNum] += Field(b, 0);
            counters[(int)Counter.RenewalDen] += Field(b, 1);
            counters[(int)Counter.RenewalNum] += Field(b, 2);
            counters[(int)Counter.TribunalDen] += Field(b, 3);
            counters[(int)Counter.TribunalNum] += Field(b, 4);
            counters[(int)Counter.NearestRelativeDen] += Field(b, 5);
            counters[(int)Counter.NearestRelativeNum] += Field(b, 6);
            counters[(int)Counter.NotUnderstoodDen] += Field(c, 0);
            counters[(int)Counter.NotUnderstoodNum] += Field(c, 1);
            counters[(int)Counter.NoticeDen] += Field(c, 2);
            counters[(int)Counter.NoticeNum] += Field(c, 3);
            counters[(int)Counter.ImhaDen] += Field(c, 4);
            counters[(int)Counter.ImhaNum] += Field(c, 5);
            var first = total.First[i];
            counters[(int)Counter.InitialNum] += first is { } seconds && _evaluator.SlaSeconds(row.Provision) is { } sla && seconds <= sla ? 1 : 0;
            Append(sums.FirstSeconds, first);
            Append(sums.UnderstoodSeconds, total.Understood[i]);
        }

        // The SQL's GROUP BY has a group only where some attempt answered needs.
        CommunicationCells = cells.Where(kv => kv.Value.CommunicationAttempts > 0).Select(kv => new CommunicationCell
        {
            Provision = kv.Key.Item1,
            Ethnic = kv.Key.Item2,
            Sex = kv.Key.Item3,
            AgeBand = kv.Key.Item4,
            Month = kv.Key.Item5,
            Attempts = kv.Value.CommunicationAttempts,
            Unmet = kv.Value.CommunicationUnmet,
        }).ToList();

        return cells.Select(kv =>
        {
            var (provision, ethnic, sex, ageBand, month) = kv.Key;
            var n = kv.Value.Counters;
            return new ReportCell
            {
                Provision = provision,
                Ethnic = ethnic,
                Sex = sex,
                AgeBand = ageBand,
                Month = month,
                Episodes = kv.Value.Episodes,
                InitialDen = n[(int)Counter.InitialDen],
                InitialNum = n[(int)Counter.InitialNum],
                ChangeDen = n[(int)Counter.ChangeDen],
                ChangeNum = n[(int)Counter.ChangeNum],
                RecallDen = n[(int)Counter.RecallDen],
                RecallNum = n[(int)Counter.RecallNum],
                RepeatDen = n[(int)Counter.RepeatDen],
                RepeatNum = n[(int)Counter.RepeatNum],
                RenewalDen = n[(int)Counter.RenewalDen],
                RenewalNum = n[(int)Counter.RenewalNum],
                TribunalDen = n[(int)Counter.TribunalDen],
                TribunalNum = n[(int)Counter.TribunalNum],
                NearestRelativeDen = n[(int)Counter.NearestRelativeDen],
                NearestRelativeNum = n[(int)Counter.NearestRelativeNum],
                NotUnderstoodDen = n[(int)Counter.NotUnderstoodDen],
                NotUnderstoodNum = n[(int)Counter.NotUnderstoodNum],
                NoticeDen = n[(int)Counter.NoticeDen],
                NoticeNum = n[(int)Counter.NoticeNum],
                ImhaDen = n[(int)Counter.ImhaDen],
                ImhaNum = n[(int)Counter.ImhaNum],
                FirstSeconds = kv.Value.FirstSeconds.ToString(),
                UnderstoodSeconds = kv.Value.UnderstoodSeconds.ToString(),
            };
        }).ToList();

        // Counter k of a packed per-episode sum (ComplianceQueries packs 8-bit counters).
        static long Field(long packed, int k) => (packed >> (ComplianceQueries.CounterBits * k)) & ((1L << ComplianceQueries.CounterBits) - 1);

        static void Append(StringBuilder text, long? seconds)
        {
            if (seconds is { } value)
            {
                if (text.Length > 0)
                {
                    text.Append(',');
                }

                text.Append(value.ToString(CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>The ASCII/UTF-8 key as characters (for the dictionaries' span lookups, without a string per row).</summary>
    private static ReadOnlySpan<char> Chars(ReadOnlySpan<byte> utf8, Span<char> buffer) =>
        buffer[..System.Text.Encoding.UTF8.GetChars(utf8, buffer)];

    /// <summary>[from, to) on the key (a null bound is open), as a range the index search can use.</summary>
    private static string Range(string column, string? from, string? to) =>
        (from, to) switch
        {
            (null, null) => "1",
            (null, _) => $"\"{column}\" < $to",
            (_, null) => $"\"{column}\" >= $from",
            _ => $"\"{column}\" >= $from AND \"{column}\" < $to",
        };

    private static DateTime? NullableTime(ReadOnlySpan<byte> text) => text.IsEmpty ? null : SqliteText.DateTime(text);

    private static long? Max(long? a, long? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private static RightsDuty NewDuty() => new() { Id = string.Empty, PatientId = string.Empty, EpisodeId = string.Empty, Hospital = string.Empty };

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA cache_size = -{CacheKib}; PRAGMA temp_store = MEMORY;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    private sealed record EpisodeRow(string PatientId, Provision Provision, DateTime StartTime, int RenewalCount, DateTime? LastRenewalTime)
    {
        /// <summary>Fire times of the episode's tribunal triggers fired by T (null: none).</summary>
        public List<DateTime>? FireTimes { get; set; }
    }

    private sealed record PatientRow(string? Ethnic, PatientSex Sex, DateOnly? DateOfBirth);

    private sealed class CellSums
    {
        public long Episodes { get; set; }

        public long[] Counters { get; } = new long[Enum.GetValues<Counter>().Length];

        public StringBuilder FirstSeconds { get; } = new();

        public StringBuilder UnderstoodSeconds { get; } = new();

        public long CommunicationAttempts { get; set; }

        public long CommunicationUnmet { get; set; }
    }

    /// <summary>Per-episode sums of one key range (arrays indexed like the population list).</summary>
    private sealed class Partial(int episodes)
    {
        public bool[] HasDuty { get; } = new bool[episodes];

        public long[] PackA { get; } = new long[episodes];

        public long[] PackB { get; } = new long[episodes];

        public long[] PackC { get; } = new long[episodes];

        public long?[] First { get; } = new long?[episodes];

        public long?[] Understood { get; } = new long?[episodes];

        public long[] CommunicationAttempts { get; } = new long[episodes];

        public long[] CommunicationUnmet { get; } = new long[episodes];
    }
}

/// <summary>Enum values stored by name (HasConversion&lt;string&gt;), parsed through a cache.</summary>
internal static class EnumText<T>
    where T : struct, Enum
{
    private static readonly Dictionary<string, T> Names = Enum.GetValues<T>().ToDictionary(v => v.ToString(), v => v, StringComparer.Ordinal);

    private static readonly Dictionary<string, T>.AlternateLookup<ReadOnlySpan<char>> ByChars = Names.GetAlternateLookup<ReadOnlySpan<char>>();

    public static T Parse(string text) => Names.TryGetValue(text, out var value) ? value : Enum.Parse<T>(text);

    public static T Parse(ReadOnlySpan<byte> utf8)
    {
        Span<char> chars = stackalloc char[64];
        if (utf8.Length <= chars.Length)
        {
            var length = System.Text.Encoding.UTF8.GetChars(utf8, chars);
            if (ByChars.TryGetValue(chars[..length], out var value))
            {
                return value;
            }
        }

        return Enum.Parse<T>(System.Text.Encoding.UTF8.GetString(utf8));
    }
}
