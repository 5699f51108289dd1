using System.Globalization;
using System.Text;
using MhaRights.Server.LegalStatus;
using MhaRights.Server.Patients;
using MhaRights.Server.Persistence;
using MhaRights.Server.Rights.Duties;
using MhaRights.Server.Rights.Rules;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SQLitePCL;

namespace MhaRights.Server.Reporting.Queries;

/// <summary>
/// The current-record report on SQLite as sequential scans aggregated in memory, instead of the set-based
/// statement's nested-loop joins (SQLite has no hash join; the joins cost ~40-70 µs per episode at 1,000,000 episodes).
/// <list type="number">
/// <item>The population's episodes (the same LINQ as the SQL path, read through the covering index
/// IX_LegalStatusEpisodes_Report) into a dictionary; alongside, each on a connection of its own, the patients'
/// breakdown columns (IX_Patients_Report), and the attempts' facts with the fired tribunal triggers: answered
/// communication needs, each patient's latest IMHA information (IX_ExplanationAttempts_Report, grouped by SQLite).</item>
/// <item>All duties (IX_RightsDuties_Report), one pass over one narrow index split into episode-id ranges read in
/// parallel: what the measures need from a duty's attempts is projected onto the duty row (Reporting/DutyReportFacts),
/// so the attempts themselves are not read. The index leads with the episode id, so an episode's duties are adjacent:
/// the episode is looked up once, not once per duty (ids are random, so each lookup of a million-entry dictionary is a
/// few cache misses; per duty they were the pass's largest cost). Each duty of a population episode is evaluated with
/// the measures' own expression trees compiled to delegates (<see cref="DutyFactEvaluator"/>) and summed into its
/// episode.</item>
/// <item>Each episode is added to its <see cref="ReportCell"/> (the SQL path's cells) as soon as its duties are summed,
/// on its range's thread; the ranges' cells are then merged.</item>
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

    // Standing attempts that answered communication needs, of patients with an adjustment record, by their duty's
    // episode: few rows (about one in forty attempts), counted into the episode by the duty pass.
    private Dictionary<string, (int Attempts, int Unmet)> _communication = new(StringComparer.Ordinal);

    public ReportScan(MhaRightsDbContext db, ComplianceQueries queries, ReportMonths months, DateTime t)
    {
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
        var patients = Task.Run(() => ReadPatients(cancellationToken), cancellationToken);
        var side = Task.Run(() => ReadAttemptFactsAndTriggers(partitions, cancellationToken), cancellationToken);
        await Task.Run(() => ReadEpisodes(periodStart, periodEnd, cancellationToken), cancellationToken);
        await patients;
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
    /// The patients' breakdown columns.
    /// </summary>
    private void ReadPatients(CancellationToken cancellationToken)
    {
        using var connection = Open();
        var patients = new Dictionary<string, PatientRow>(RowEstimate(connection, "Patients"), StringComparer.Ordinal);
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

    }

    /// <summary>
    /// The attempts' facts the duty pass needs (communication needs answered, each patient's IMHA information), fired
    /// tribunal triggers and the episode-key boundaries of the parallel ranges.
    /// </summary>
    private List<string> ReadAttemptFactsAndTriggers(int partitions, CancellationToken cancellationToken)
    {
        using var connection = Open();

        // As CommunicationCellsAsync: standing attempts with answered needs, of patients with an adjustment record.
        // Keyed by the duty's episode, so the duty pass looks them up once per episode, not once per duty.
        var communication = new Dictionary<string, (int Attempts, int Unmet)>(StringComparer.Ordinal);
        using (var rows = new RawStatement(connection, """
            SELECT d."EpisodeId", a."UnmetCommunicationNeeds" FROM "ExplanationAttempts" AS a JOIN "RightsDuties" AS d ON d."Id" = a."DutyId"
            WHERE a."CommunicationNeedsJson" IS NOT NULL AND a."State" = 'Recorded' AND a."PatientId" IN (SELECT "PatientId" FROM "AdjustmentRecords")
            """))
        {
            while (rows.Step())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var episode = rows.String(0);
                var (attempts, unmet) = communication.GetValueOrDefault(episode);
                communication[episode] = (attempts + 1, unmet + (rows.Int(1) > 0 ? 1 : 0));
            }
        }

        _communication = communication;

        // The index is in patient order, so SQLite groups as it reads (no sort), and hands over one row per patient
        // instead of every attempt (times are stored in one sortable text format, so MAX is the latest).
        var imha = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        using (var rows = new RawStatement(connection, $"""
            SELECT "PatientId", MAX("AttemptTime") FROM "ExplanationAttempts" INDEXED BY "{AttemptIndex}"
            WHERE "ImhaInformationGiven" = 1 AND "State" = 'Recorded' GROUP BY "PatientId"
            """))
        {
            while (rows.Step())
            {
                cancellationToken.ThrowIfCancellationRequested();
                imha[rows.String(0)] = SqliteText.DateTime(rows.Text(1));
            }
        }

        _latestImha = imha;

        // The SQL path's TribunalFired subquery, for every episode at once. A scan of the table: through the FiredTime
        // index SQLite would fetch each fired trigger's row at random (0.9 s against 0.1 s over 910,000 triggers).
        var fired = new Dictionary<string, List<DateTime>>(StringComparer.Ordinal);
        using (var rows = new RawStatement(connection, $"""
            SELECT "EpisodeId", "FireTime" FROM "ScheduledTriggers" NOT INDEXED
            WHERE "Trigger" IN ('{nameof(DutyTrigger.TribunalWindow)}', '{nameof(DutyTrigger.AutomaticReference)}') AND "FiredTime" IS NOT NULL AND "FiredTime" <= $t
            """))
        {
            rows.Bind("$t", _t);
            while (rows.Step())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var episode = rows.String(0);
                if (!fired.TryGetValue(episode, out var list))
                {
                    fired[episode] = list = [];
                }

                list.Add(SqliteText.DateTime(rows.Text(1)));
            }
        }

        _firedTribunal = fired;

        var boundaries = new List<string>();
        if (partitions > 1)
        {
            var rows = RowEstimate(connection, "RightsDuties");
            // Episode-id boundaries: all of an episode's duties fall in one range, so no episode is summed twice.
            using var boundary = new RawStatement(connection, $"SELECT \"EpisodeId\" FROM \"RightsDuties\" INDEXED BY \"{DutyIndex}\" ORDER BY \"EpisodeId\" LIMIT 1 OFFSET $offset");
            for (var i = 1; i < partitions && rows > 0; i++)
            {
                boundary.Bind("$offset", (long)rows * i / partitions);
                if (boundary.Step())
                {
                    var id = boundary.String(0);
                    if (boundaries.Count == 0 || string.CompareOrdinal(boundaries[^1], id) < 0)
                    {
                        boundaries.Add(id);
                    }
                }

                boundary.Reset();
            }
        }

        return boundaries;
    }

    /// <summary>
    /// The duties of one episode-id range [from, to), read from the covering index in episode order: each population
    /// episode's duties are evaluated and summed, and the episode is added to this range's cells as soon as its last
    /// duty is read (on this range's thread, so the grouping runs in parallel too).
    /// </summary>
    private Dictionary<CellKey, CellSums> ScanDuties(string? from, string? to, CancellationToken cancellationToken)
    {
        var result = new Dictionary<CellKey, CellSums>();
        var lookups = new DutyLookups(_latestImha);
        var episodes = _episodeIndex.GetAlternateLookup<ReadOnlySpan<char>>();
        var communication = _communication.GetAlternateLookup<ReadOnlySpan<char>>();
        using var connection = Open();
        using var duties = new RawStatement(connection, $"""
            SELECT "EpisodeId", "Kind", "State", "Trigger", "Provision", "OpenTime", "DueTime", "ResolvedTime", "FirstAttemptTime",
                "AttemptCount", "NextAttemptTime", "FirstUnderstoodTime", "RenewalAttempted", "TribunalAttempted", "LatestInformationTime"
            FROM "RightsDuties" INDEXED BY "{DutyIndex}" WHERE {Range("EpisodeId", from, to)} ORDER BY "EpisodeId"
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
        var sums = new EpisodeSums(-1);
        Span<char> key = stackalloc char[128];
        Span<byte> current = stackalloc byte[128];
        var currentLength = -1;
        while (duties.Step())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var episodeKey = duties.Text(0);
            if (currentLength < 0 || !episodeKey.SequenceEqual(current[..currentLength]))
            {
                // The next episode: the previous one's sums are complete.
                if (sums.Index >= 0)
                {
                    AddEpisode(result, sums);
                }

                episodeKey.CopyTo(current);
                currentLength = episodeKey.Length;
                var chars = Chars(episodeKey, key);
                sums = new EpisodeSums(episodes.TryGetValue(chars, out var found) ? found : -1);
                if (sums.Index >= 0)
                {
                    if (_communication.Count > 0 && communication.TryGetValue(chars, out var answered))
                    {
                        sums.CommunicationAttempts = answered.Attempts;
                        sums.CommunicationUnmet = answered.Unmet;
                    }

                    // A duty is its episode's patient's (RightsLifecycle opens it for both): no string per duty.
                    var row = _episodes[sums.Index];
                    duty.PatientId = row.PatientId;
                    lookups.FireTimes = row.FireTimes;
                    episode.Provision = row.Provision;
                    episode.StartTime = row.StartTime;
                    episode.RenewalCount = row.RenewalCount;
                    episode.LastRenewalTime = row.LastRenewalTime;
                }
            }

            if (sums.Index < 0)
            {
                continue;
            }

            // Column by column (SqliteColumns makes a read a few nanoseconds; concatenating them in SQL cost SQLite far more).
            duty.Kind = EnumText<DutyKind>.Parse(duties.Text(1));
            duty.State = EnumText<DutyState>.Parse(duties.Text(2));
            duty.Trigger = EnumText<DutyTrigger>.Parse(duties.Text(3));
            duty.Provision = EnumText<Provision>.Parse(duties.Text(4));
            duty.OpenTime = SqliteText.DateTime(duties.Text(5));
            duty.DueTime = NullableTime(duties.Text(6));
            duty.ResolvedTime = NullableTime(duties.Text(7));
            duty.FirstAttemptTime = NullableTime(duties.Text(8));
            duty.AttemptCount = duties.Int(9);
            duty.NextAttemptTime = NullableTime(duties.Text(10));
            duty.FirstUnderstoodTime = NullableTime(duties.Text(11));
            duty.RenewalAttempted = duties.Int(12) != 0;
            duty.TribunalAttempted = duties.Int(13) != 0;
            duty.LatestInformationTime = NullableTime(duties.Text(14));
            sums.PackA += _evaluator.PackA(duty, episode, lookups);
            sums.PackB += _evaluator.PackB(duty, episode, lookups);
            sums.PackC += _evaluator.PackC(duty, episode, lookups);
            sums.First = Max(sums.First, _evaluator.FirstSeconds(duty, episode, lookups));
            sums.Understood = Max(sums.Understood, _evaluator.UnderstoodSeconds(duty, episode, lookups));
        }

        if (sums.Index >= 0)
        {
            AddEpisode(result, sums);
        }

        return result;
    }

    /// <summary>
    /// Adds one episode with duties (a row of the SQL's per-episode GROUP BY; each episode is in one range) to its
    /// breakdown cell.
    /// </summary>
    private void AddEpisode(Dictionary<CellKey, CellSums> cells, in EpisodeSums total)
    {
        var row = _episodes[total.Index];
        var patient = _patients.TryGetValue(row.PatientId, out var p) ? p : throw new InvalidOperationException($"Episode patient {row.PatientId} not found.");
        var key = new CellKey(row.Provision, patient.Ethnic, patient.Sex, _evaluator.AgeBand(row.StartTime, patient.DateOfBirth), _evaluator.MonthIndex(row.StartTime));
        if (!cells.TryGetValue(key, out var sums))
        {
            cells[key] = sums = new CellSums();
        }

        sums.Episodes++;
        sums.CommunicationAttempts += total.CommunicationAttempts;
        sums.CommunicationUnmet += total.CommunicationUnmet;
        long a = total.PackA, b = total.PackB, c = total.PackC;
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
        var first = total.First;
        counters[(int)Counter.InitialNum] += first is { } seconds && _evaluator.SlaSeconds(row.Provision) is { } sla && seconds <= sla ? 1 : 0;
        Append(sums.FirstSeconds, first);
        Append(sums.UnderstoodSeconds, total.Understood);
    }

    /// <summary>The ranges' cells merged (a cell may have episodes in several ranges), as the SQL path's cells.</summary>
    private List<ReportCell> Cells(Dictionary<CellKey, CellSums>[] parts)
    {
        var cells = parts[0];
        foreach (var part in parts.Skip(1))
        {
            foreach (var (key, sums) in part)
            {
                if (cells.TryGetValue(key, out var into))
                {
                    into.Add(sums);
                }
                else
                {
                    cells[key] = sums;
                }
            }
        }

        // The SQL's GROUP BY has a group only where some attempt answered needs.
        CommunicationCells = cells.Where(kv => kv.Value.CommunicationAttempts > 0).Select(kv => new CommunicationCell
        {
            Provision = kv.Key.Provision,
            Ethnic = kv.Key.Ethnic,
            Sex = kv.Key.Sex,
            AgeBand = kv.Key.AgeBand,
            Month = kv.Key.Month,
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
    }

    /// <summary>Counter k of a packed per-episode sum (ComplianceQueries packs 8-bit counters).</summary>
    private static long Field(long packed, int k) => (packed >> (ComplianceQueries.CounterBits * k)) & ((1L << ComplianceQueries.CounterBits) - 1);

    private static void Append(StringBuilder text, long? seconds)
    {
        if (seconds is { } value)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(CultureInfo.InvariantCulture, $"{value}");
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

    /// <summary>
    /// A connection used by the calling thread alone (each of the scan's readers opens its own), opened without
    /// SQLite's per-connection mutex: in its default (serialized) mode SQLite locks and unlocks it on every column read,
    /// and the duty pass reads 15 columns of every duty (a third of the pass's SQLite time, measured on the 4.18 M-duty
    /// index).
    /// </summary>
    private sqlite3 Open()
    {
        // The file, mode and cache Microsoft.Data.Sqlite would open for the same connection string.
        var settings = new SqliteConnectionStringBuilder(_connectionString);
        var memory = settings.Mode == SqliteOpenMode.Memory;
        var shared = settings.Cache == SqliteCacheMode.Shared;
        var path = memory ? $"file:{settings.DataSource}?mode=memory{(shared ? "&cache=shared" : string.Empty)}" : settings.DataSource;
        var flags = raw.SQLITE_OPEN_NOMUTEX | raw.SQLITE_OPEN_URI | (shared ? raw.SQLITE_OPEN_SHAREDCACHE : 0)
            | (settings.Mode == SqliteOpenMode.ReadOnly ? raw.SQLITE_OPEN_READONLY : raw.SQLITE_OPEN_READWRITE);
        var rc = raw.sqlite3_open_v2(path, out var connection, flags, null);
        if (rc != raw.SQLITE_OK)
        {
            var message = connection is null ? rc.ToString(CultureInfo.InvariantCulture) : raw.sqlite3_errmsg(connection).utf8_to_string();
            connection?.Dispose();
            throw new InvalidOperationException($"Opening the report scan's connection to {settings.DataSource} failed: {message}");
        }

        raw.sqlite3_busy_timeout(connection, (int)TimeSpan.FromSeconds(settings.DefaultTimeout).TotalMilliseconds);
        raw.sqlite3_exec(connection, $"PRAGMA cache_size = -{CacheKib}; PRAGMA temp_store = MEMORY;");
        return connection;
    }

    /// <summary>The table's largest rowid: its row count, near enough to size a dictionary of every row once.</summary>
    private static int RowEstimate(sqlite3 connection, string table)
    {
        using var maximum = new RawStatement(connection, $"SELECT COALESCE(MAX(rowid), 0) FROM \"{table}\"");
        return maximum.Step() ? (int)Math.Min(maximum.Int64(0), Array.MaxLength) : 0;
    }

    private sealed record EpisodeRow(string PatientId, Provision Provision, DateTime StartTime, int RenewalCount, DateTime? LastRenewalTime)
    {
        /// <summary>Fire times of the episode's tribunal triggers fired by T (null: none).</summary>
        public List<DateTime>? FireTimes { get; set; }
    }

    private readonly record struct PatientRow(string? Ethnic, PatientSex Sex, DateOnly? DateOfBirth);

    /// <summary>A breakdown cell: the SQL path's GROUP BY keys.</summary>
    private readonly record struct CellKey(Provision Provision, string? Ethnic, PatientSex Sex, int AgeBand, int Month);

    private sealed class CellSums
    {
        public long Episodes { get; set; }

        public long[] Counters { get; } = new long[Enum.GetValues<Counter>().Length];

        public StringBuilder FirstSeconds { get; } = new();

        public StringBuilder UnderstoodSeconds { get; } = new();

        public long CommunicationAttempts { get; set; }

        public long CommunicationUnmet { get; set; }

        /// <summary>Adds the same cell's sums from another range.</summary>
        public void Add(CellSums other)
        {
            Episodes += other.Episodes;
            CommunicationAttempts += other.CommunicationAttempts;
            CommunicationUnmet += other.CommunicationUnmet;
            for (var i = 0; i < Counters.Length; i++)
            {
                Counters[i] += other.Counters[i];
            }

            Join(FirstSeconds, other.FirstSeconds);
            Join(UnderstoodSeconds, other.UnderstoodSeconds);

            static void Join(StringBuilder into, StringBuilder more)
            {
                if (more.Length > 0)
                {
                    into.Append(into.Length > 0 ? "," : string.Empty).Append(more);
                }
            }
        }
    }

    /// <summary>One population episode's sums over its duties (<see cref="Index"/>: its position in the population list).</summary>
    private struct EpisodeSums(int index)
    {
        public readonly int Index = index;
        public long PackA;
        public long PackB;
        public long PackC;
        public long? First;
        public long? Understood;
        public long CommunicationAttempts;
        public long CommunicationUnmet;
    }
}

/// <summary>Enum values stored by name (HasConversion&lt;string&gt;), parsed through a cache.</summary>
internal static class EnumText<T>
    where T : struct, Enum
{
    private static readonly Dictionary<string, T> Names = Enum.GetValues<T>().ToDictionary(v => v.ToString(), v => v, StringComparer.Ordinal);

    // The names as UTF-8 in an open-addressed table hashed on the length and three bytes: the report scan parses four
    // names per duty, and this skips transcoding each to UTF-16 and hashing it as a string.
    private static readonly (byte[] Name, T Value)?[] Slots = BuildSlots();

    public static T Parse(string text) => Names.TryGetValue(text, out var value) ? value : Enum.Parse<T>(text);

    public static T Parse(ReadOnlySpan<byte> utf8)
    {
        if (!utf8.IsEmpty)
        {
            var mask = Slots.Length - 1;
            for (var i = Hash(utf8) & mask; Slots[i] is { } slot; i = (i + 1) & mask)
            {
                if (utf8.SequenceEqual(slot.Name))
                {
                    return slot.Value;
                }
            }
        }

        return Enum.Parse<T>(System.Text.Encoding.UTF8.GetString(utf8));
    }

    private static int Hash(ReadOnlySpan<byte> utf8) =>
        (int)((((uint)utf8.Length * 0x9E3779B1u) ^ ((uint)utf8[0] << 16) ^ ((uint)utf8[utf8.Length / 2] << 8) ^ utf8[^1]) * 0x85EBCA6Bu >> 8);

    private static (byte[] Name, T Value)?[] BuildSlots()
    {
        var slots = new (byte[] Name, T Value)?[(int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Names.Count * 4)];
        foreach (var (name, value) in Names)
        {
            var utf8 = System.Text.Encoding.UTF8.GetBytes(name);
            var i = Hash(utf8) & (slots.Length - 1);
            while (slots[i] is not null)
            {
                i = (i + 1) & (slots.Length - 1);
            }

            slots[i] = (utf8, value);
        }

        return slots;
    }
}
