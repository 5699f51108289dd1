using System.Globalization;
using System.Runtime.InteropServices;
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
/// IX_LegalStatusEpisodes_Report), indexed by id; alongside, each on a connection of its own, the patients'
/// breakdown columns (IX_Patients_Report), and the attempts' facts with the fired tribunal triggers: answered
/// communication needs by duty (IX_ExplanationAttempts_Communication). Ids are keys as <see cref="IdKey"/>s;
/// episodes and patients are found by id through an <see cref="IdIndex"/>.</item>
/// <item>All duties (IX_RightsDuties_Report), one pass over one narrow index split into episode-id ranges read in
/// parallel: what the measures need from a duty's attempts is projected onto the duty row (Reporting/DutyReportFacts),
/// so the attempts themselves are not read. The index leads with the episode id, so an episode's duties are adjacent:
/// the episode is looked up once, not once per duty (ids are random, so each lookup of a million-entry dictionary is a
/// few cache misses; per duty they were the pass's largest cost). Each duty of a population episode is evaluated with
/// the measures' own expression trees compiled to delegates (<see cref="DutyFactEvaluator"/>) and summed into its
/// episode, whose sums are stored at the episode's position. The patient's IMHA information is asked of the attempts'
/// index only for the s130D duties whose own attempts do not settle it.</item>
/// <item>The episodes are then added to their <see cref="ReportCell"/>s (the SQL path's cells) in the order they were
/// read, a slice per core, and the slices' cells merged.</item>
/// </list>
/// </summary>
internal sealed class ReportScan
{
    private const string DutyIndex = "IX_RightsDuties_Report";
    private const string AttemptIndex = "IX_ExplanationAttempts_Report";
    private const string PatientIndex = "IX_Patients_Report";
    private const string EpisodeIndex = "IX_LegalStatusEpisodes_Report";
    private const string CommunicationIndex = "IX_ExplanationAttempts_Communication";

    private readonly ComplianceQueries _queries;
    private readonly DateTime _t;
    private readonly string _connectionString;
    private readonly DutyFactEvaluator _evaluator;

    // Episodes of the population, by position.
    private IdIndex _episodeIndex = new();
    private readonly List<EpisodeRow> _episodes = [];
    private IdIndex _patientIndex = new();
    private List<PatientRow> _patients = [];
    private Dictionary<IdKey, List<DateTime>> _firedTribunal = [];

    // Each population episode's sums over its duties, by position (written by the duty pass, one range per episode).
    private EpisodeSums[] _sums = [];

    // Standing attempts that answered communication needs, of patients with an adjustment record, by their duty: few
    // rows (about one in forty attempts), counted into the duty's episode by the duty pass; and those attempts' patients.
    private Dictionary<IdKey, (int Attempts, int Unmet)> _communication = [];
    private HashSet<IdKey> _communicationPatients = [];

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
                "SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'index' AND name IN ({0}, {1}, {2}, {3}, {4})",
                DutyIndex, AttemptIndex, PatientIndex, EpisodeIndex, CommunicationIndex)
            .SingleAsync(cancellationToken);
        return present == 5;
    }

    /// <summary>
    /// The unmet-communication-needs measure's cells (<see cref="ComplianceQueries.CommunicationCellsAsync"/>'s
    /// counts, from the same pass), once <see cref="CellsAsync"/> has run.
    /// </summary>
    public IReadOnlyList<CommunicationCell> CommunicationCells { get; private set; } = [];

    /// <summary>
    /// The population's patients with their breakdown columns, once <see cref="CellsAsync"/> has read the episodes and
    /// patients (the adjustment measures ask about their records' patients while the duty pass runs).
    /// </summary>
    public Task<IPopulationPatients> PopulationPatients => _population.Task;

    private readonly TaskCompletionSource<IPopulationPatients> _population = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<List<ReportCell>> CellsAsync(DateTime periodStart, DateTime periodEnd, int partitions, CancellationToken cancellationToken)
    {
        try
        {
            return await ScanAsync(periodStart, periodEnd, partitions, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            _population.TrySetCanceled(cancellationToken);
            throw;
        }
        catch (Exception e)
        {
            _population.TrySetException(e);
            throw;
        }
    }

    private async Task<List<ReportCell>> ScanAsync(DateTime periodStart, DateTime periodEnd, int partitions, CancellationToken cancellationToken)
    {
        // SQLite's async calls complete synchronously, so each reader gets its own thread and connection.
        var patients = Task.Run(() => ReadPatients(cancellationToken), cancellationToken);
        var side = Task.Run(() => ReadAttemptFactsAndTriggers(cancellationToken), cancellationToken);
        var boundaries = await Task.Run(() => ReadEpisodes(periodStart, periodEnd, partitions, cancellationToken), cancellationToken);
        await patients;
        await side;
        foreach (var (episode, fireTimes) in _firedTribunal)
        {
            if (_episodeIndex.TryGetValue(episode, out var index))
            {
                CollectionsMarshal.AsSpan(_episodes)[index].FireTimes = fireTimes;
            }
        }

        _population.TrySetResult(new Population(_episodes, _patientIndex, _patients));
        _sums = new EpisodeSums[_episodes.Count];
        await Task.WhenAll(Enumerable.Range(0, boundaries.Count + 1).Select(i => Task.Run(
            () => ScanDuties(i == 0 ? null : boundaries[i - 1], i == boundaries.Count ? null : boundaries[i], cancellationToken),
            cancellationToken)));

        // Episodes are grouped in the order they were read (by start time, so a month's few thousand cells are all a
        // slice touches, instead of every cell at random as the duty pass meets the episodes), a slice per core.
        var slices = Math.Max(1, partitions);
        var parts = await Task.WhenAll(Enumerable.Range(0, slices).Select(i => Task.Run(
            () => Group((int)((long)_episodes.Count * i / slices), (int)((long)_episodes.Count * (i + 1) / slices), cancellationToken),
            cancellationToken)));
        return Cells(parts);
    }

    /// <summary>
    /// The population's episodes, and the episode-id boundaries that split them into <paramref name="partitions"/>
    /// ranges of about as many episodes each for the duty pass (each episode's duties then fall in one range, so no
    /// episode is summed twice).
    /// </summary>
    private List<string> ReadEpisodes(DateTime periodStart, DateTime periodEnd, int partitions, CancellationToken cancellationToken)
    {
        // Every 64th id is sample enough to place the boundaries, without sorting the population.
        const int SampleEvery = 64;
        var sample = new List<string>();
        // The population is the LINQ of the SQL path (one definition); only the reading is done here.
        var query = _queries.Episodes(periodStart, periodEnd)
            .Select(e => new { e.Id, e.PatientId, e.Provision, e.StartTime, e.RenewalCount, e.LastRenewalTime });
        using var connection = Open();
        // Sized for every episode (growing it rehashes a million ids).
        _episodeIndex = new IdIndex(RowEstimate(connection, "LegalStatusEpisodes"));
        using var command = (SqliteCommand)query.CreateDbCommand();
        using var rows = new RawStatement(connection, command.CommandText);
        foreach (SqliteParameter parameter in command.Parameters)
        {
            rows.Bind(parameter.ParameterName, parameter.Value);
        }

        while (rows.Step())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_episodes.Count % SampleEvery == 0)
            {
                sample.Add(rows.String(0));
            }

            _episodeIndex.Set(IdKey.From(rows.Text(0)), _episodes.Count);
            _episodes.Add(new EpisodeRow(
                IdKey.From(rows.Text(1)),
                EnumText<Provision>.Parse(rows.Text(2)),
                SqliteText.DateTime(rows.Text(3)),
                rows.Int(4),
                rows.IsNull(5) ? null : SqliteText.DateTime(rows.Text(5))));
        }

        // Ordinal order is SQLite's BINARY order for ids (ASCII: Common/Ids).
        sample.Sort(StringComparer.Ordinal);
        var boundaries = new List<string>();
        for (var i = 1; i < partitions && sample.Count > 0; i++)
        {
            var id = sample[sample.Count * i / partitions];
            if (boundaries.Count == 0 || string.CompareOrdinal(boundaries[^1], id) < 0)
            {
                boundaries.Add(id);
            }
        }

        return boundaries;
    }

    /// <summary>
    /// The patients' breakdown columns.
    /// </summary>
    private void ReadPatients(CancellationToken cancellationToken)
    {
        using var connection = Open();
        var capacity = RowEstimate(connection, "Patients");
        var index = new IdIndex(capacity);
        var patients = new List<PatientRow>(capacity);
        var ethnic = new TextValues();
        using (var rows = new RawStatement(connection, $"SELECT \"Id\", \"EthnicCategory\", \"Sex\", \"DateOfBirth\" FROM \"Patients\" INDEXED BY \"{PatientIndex}\""))
        {
            while (rows.Step())
            {
                cancellationToken.ThrowIfCancellationRequested();
                index.Set(IdKey.From(rows.Text(0)), patients.Count);
                patients.Add(new PatientRow(
                    rows.IsNull(1) ? null : ethnic.Get(rows.Text(1)),
                    EnumText<PatientSex>.Parse(rows.Text(2)),
                    rows.IsNull(3) ? null : SqliteText.Date(rows.Text(3))));
            }
        }

        _patientIndex = index;
        _patients = patients;
    }

    /// <summary>
    /// The attempts that answered communication needs and the fired tribunal triggers, as the duty pass needs them.
    /// </summary>
    private void ReadAttemptFactsAndTriggers(CancellationToken cancellationToken)
    {
        using var connection = Open();

        // As CommunicationCellsAsync: standing attempts with answered needs, of patients with an adjustment record (about
        // one attempt in forty), by duty, from their own partial index. Not joined to the duty for its episode (a random
        // read of the duty table per attempt): the duty pass reads the duty's id instead, only in episodes of the
        // patients here.
        var communication = new Dictionary<IdKey, (int Attempts, int Unmet)>();
        var communicationPatients = new HashSet<IdKey>();
        using (var rows = new RawStatement(connection, $"""
            SELECT a."DutyId", a."UnmetCommunicationNeeds", a."PatientId" FROM "ExplanationAttempts" AS a INDEXED BY "{CommunicationIndex}"
            WHERE a."CommunicationNeedsJson" IS NOT NULL AND a."State" = 'Recorded' AND a."PatientId" IN (SELECT "PatientId" FROM "AdjustmentRecords")
            """))
        {
            while (rows.Step())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var duty = IdKey.From(rows.Text(0));
                var (attempts, unmet) = communication.GetValueOrDefault(duty);
                communication[duty] = (attempts + 1, unmet + (rows.Int(1) > 0 ? 1 : 0));
                communicationPatients.Add(IdKey.From(rows.Text(2)));
            }
        }

        _communication = communication;
        _communicationPatients = communicationPatients;

        // The SQL path's TribunalFired subquery, for every episode at once. A scan of the table: through the FiredTime
        // index SQLite would fetch each fired trigger's row at random (0.9 s against 0.1 s over 910,000 triggers).
        var fired = new Dictionary<IdKey, List<DateTime>>();
        using (var rows = new RawStatement(connection, $"""
            SELECT "EpisodeId", "FireTime" FROM "ScheduledTriggers" NOT INDEXED
            WHERE "Trigger" IN ('{nameof(DutyTrigger.TribunalWindow)}', '{nameof(DutyTrigger.AutomaticReference)}') AND "FiredTime" IS NOT NULL AND "FiredTime" <= $t
            """))
        {
            rows.Bind("$t", _t);
            while (rows.Step())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var episode = IdKey.From(rows.Text(0));
                if (!fired.TryGetValue(episode, out var list))
                {
                    fired[episode] = list = [];
                }

                list.Add(SqliteText.DateTime(rows.Text(1)));
            }
        }

        _firedTribunal = fired;
    }

    /// <summary>
    /// The duties of one episode-id range [from, to), read from the covering index in episode order: each population
    /// episode's duties are evaluated and summed, and the sums are stored at the episode's position once its last
    /// duty is read (each episode is in one range, so no two threads write one position).
    /// </summary>
    private void ScanDuties(string? from, string? to, CancellationToken cancellationToken)
    {
        using var connection = Open();

        // The s130D measure's question about the patient's other attempts, asked only for the few duties whose own
        // attempts do not answer it (DutyLookups.ImhaGiven): one probe of the IMHA index each, where reading the whole
        // index for every patient's latest such attempt took more than a second. Times are bound in the text format
        // they are stored in, which sorts as the times do.
        using var imha = new RawStatement(connection, $"""
            SELECT 1 FROM "ExplanationAttempts" INDEXED BY "{AttemptIndex}"
            WHERE "ImhaInformationGiven" = 1 AND "State" = 'Recorded' AND "PatientId" = ?1 AND "AttemptTime" >= ?2 LIMIT 1
            """);
        var lookups = new DutyLookups((patient, since) =>
        {
            imha.Reset();
            imha.Bind(1, patient.ToString());
            imha.Bind(2, since);
            return imha.Step();
        });
        using var duties = new RawStatement(connection, $"""
            SELECT "EpisodeId", "Kind", "State", "Trigger", "Provision", "OpenTime", "DueTime", "ResolvedTime", "FirstAttemptTime",
                "AttemptCount", "NextAttemptTime", "FirstUnderstoodTime", "RenewalAttempted", "TribunalAttempted", "LatestInformationTime", "Id"
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

        var episodes = CollectionsMarshal.AsSpan(_episodes);
        var duty = NewDuty();
        var episode = new LegalStatusEpisode { Id = string.Empty, PatientId = string.Empty, Hospital = string.Empty };
        var sums = new EpisodeSums(-1);
        Span<byte> current = stackalloc byte[128];
        var currentLength = -1;

        // Whether the episode's patient has attempts that answered communication needs (then each duty's id is looked up).
        var communication = false;
        while (duties.Step())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var episodeKey = duties.Text(0);
            if (currentLength < 0 || !episodeKey.SequenceEqual(current[..currentLength]))
            {
                // The next episode: the previous one's sums are complete.
                if (sums.Index >= 0)
                {
                    _sums[sums.Index] = sums;
                }

                currentLength = episodeKey.Length <= current.Length ? episodeKey.Length : throw new InvalidOperationException($"Episode id longer than {current.Length} bytes.");
                episodeKey.CopyTo(current);
                var id = IdKey.From(episodeKey);
                sums = new EpisodeSums(_episodeIndex.TryGetValue(id, out var found) ? found : -1);
                if (sums.Index >= 0)
                {
                    // A duty is its episode's patient's (RightsLifecycle opens it for both).
                    ref readonly var row = ref episodes[sums.Index];
                    lookups.Patient = row.Patient;
                    communication = _communicationPatients.Count > 0 && _communicationPatients.Contains(row.Patient);
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
            if (communication && _communication.TryGetValue(IdKey.From(duties.Text(15)), out var answered))
            {
                sums.CommunicationAttempts += answered.Attempts;
                sums.CommunicationUnmet += answered.Unmet;
            }

            sums.PackA += _evaluator.PackA(duty, episode, lookups);
            sums.PackB += _evaluator.PackB(duty, episode, lookups);
            sums.PackC += _evaluator.PackC(duty, episode, lookups);
            sums.First = Max(sums.First, _evaluator.FirstSeconds(duty, episode, lookups));
            sums.Understood = Max(sums.Understood, _evaluator.UnderstoodSeconds(duty, episode, lookups));
        }

        if (sums.Index >= 0)
        {
            _sums[sums.Index] = sums;
        }
    }

    /// <summary>
    /// The episodes at positions [from, to) that have duties (the SQL's per-episode GROUP BY rows), each added to its
    /// breakdown cell.
    /// </summary>
    private SliceCells Group(int from, int to, CancellationToken cancellationToken)
    {
        var cells = new SliceCells();
        var cellOf = new int[to - from];
        var episodes = CollectionsMarshal.AsSpan(_episodes);
        for (var i = from; i < to; i++)
        {
            if ((i & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            cellOf[i - from] = _sums[i].Summed ? AddEpisode(cells, episodes[i], _sums[i]) : -1;
        }

        cells.GatherValues(cellOf, _sums.AsSpan(from, to - from));
        return cells;
    }

    /// <summary>Adds one episode with duties to its breakdown cell, and returns the cell.</summary>
    private int AddEpisode(SliceCells cells, in EpisodeRow row, in EpisodeSums total)
    {
        var patient = _patientIndex.TryGetValue(row.Patient, out var at) ? _patients[at] : throw new InvalidOperationException("An episode's patient was not found.");
        var cell = cells.Cell(new CellKey(row.Provision, patient.Ethnic, patient.Sex, _evaluator.AgeBand(row.StartTime, patient.DateOfBirth), _evaluator.MonthIndex(row.StartTime)));
        ref var totals = ref cells.Totals(cell);
        totals.Episodes++;
        totals.CommunicationAttempts += total.CommunicationAttempts;
        totals.CommunicationUnmet += total.CommunicationUnmet;
        totals.FirstCount += total.First is null ? 0 : 1;
        totals.UnderstoodCount += total.Understood is null ? 0 : 1;
        long a = total.PackA, b = total.PackB, c = total.PackC;
        var counters = cells.Counters(cell);
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
        counters[(int)Counter.InitialNum] += total.First is { } seconds && _evaluator.SlaSeconds(row.Provision) is { } sla && seconds <= sla ? 1 : 0;
        return cell;
    }

    /// <summary>
    /// The slices' cells merged (a cell may have episodes in several slices: those of the months where slices meet), as
    /// the SQL path's cells, in the order first met.
    /// </summary>
    private List<ReportCell> Cells(SliceCells[] parts)
    {
        var first = new Dictionary<CellKey, (int Part, int Cell)>(parts[0].Count);
        var order = new List<(int Part, int Cell)>(parts[0].Count);
        var more = new Dictionary<(int Part, int Cell), List<(int Part, int Cell)>>();
        for (var part = 0; part < parts.Length; part++)
        {
            for (var cell = 0; cell < parts[part].Count; cell++)
            {
                if (first.TryAdd(parts[part].Key(cell), (part, cell)))
                {
                    order.Add((part, cell));
                }
                else
                {
                    var at = first[parts[part].Key(cell)];
                    if (!more.TryGetValue(at, out var others))
                    {
                        more[at] = others = [];
                    }

                    others.Add((part, cell));
                }
            }
        }

        var result = new List<ReportCell>(order.Count);
        var communication = new List<CommunicationCell>();
        var n = new long[SliceCells.Width];
        foreach (var at in order)
        {
            var (provision, ethnic, sex, ageBand, month) = parts[at.Part].Key(at.Cell);
            var totals = parts[at.Part].Totals(at.Cell);
            parts[at.Part].Counters(at.Cell).CopyTo(n);
            IReadOnlyList<long> firstSeconds = parts[at.Part].FirstSeconds(at.Cell);
            IReadOnlyList<long> understoodSeconds = parts[at.Part].UnderstoodSeconds(at.Cell);
            if (more.TryGetValue(at, out var others))
            {
                var firstAll = new List<long>(firstSeconds);
                var understoodAll = new List<long>(understoodSeconds);
                foreach (var other in others)
                {
                    var add = parts[other.Part].Totals(other.Cell);
                    totals.Episodes += add.Episodes;
                    totals.CommunicationAttempts += add.CommunicationAttempts;
                    totals.CommunicationUnmet += add.CommunicationUnmet;
                    var counters = parts[other.Part].Counters(other.Cell);
                    for (var k = 0; k < n.Length; k++)
                    {
                        n[k] += counters[k];
                    }

                    firstAll.AddRange(parts[other.Part].FirstSeconds(other.Cell));
                    understoodAll.AddRange(parts[other.Part].UnderstoodSeconds(other.Cell));
                }

                firstSeconds = firstAll;
                understoodSeconds = understoodAll;
            }

            // The SQL's GROUP BY has a group only where some attempt answered needs.
            if (totals.CommunicationAttempts > 0)
            {
                communication.Add(new CommunicationCell
                {
                    Provision = provision,
                    Ethnic = ethnic,
                    Sex = sex,
                    AgeBand = ageBand,
                    Month = month,
                    Attempts = totals.CommunicationAttempts,
                    Unmet = totals.CommunicationUnmet,
                });
            }

            result.Add(new ReportCell
            {
                Provision = provision,
                Ethnic = ethnic,
                Sex = sex,
                AgeBand = ageBand,
                Month = month,
                Episodes = totals.Episodes,
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
                FirstSecondsValues = firstSeconds,
                UnderstoodSecondsValues = understoodSeconds,
            });
        }

        CommunicationCells = communication;
        return result;
    }

    /// <summary>Counter k of a packed per-episode sum (ComplianceQueries packs 8-bit counters).</summary>
    private static long Field(long packed, int k) => (packed >> (ComplianceQueries.CounterBits * k)) & ((1L << ComplianceQueries.CounterBits) - 1);

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
        // SQLite's default page cache (2 MB). The passes read each page once, in index order, so a larger one only
        // kept pages that were never read again. It also cost time: each connection's cache grew to its full size in
        // every report, and the memory was faulted in afresh each time. With 128 MB per connection, a benchmark process
        // took 1.1 M page faults against 0.6 M, and ~12% more CPU per report (bench/ANALYSIS.md).
        raw.sqlite3_exec(connection, "PRAGMA temp_store = MEMORY;");
        return connection;
    }

    /// <summary>The table's largest rowid: its row count, near enough to size a dictionary of every row once.</summary>
    private static int RowEstimate(sqlite3 connection, string table)
    {
        using var maximum = new RawStatement(connection, $"SELECT COALESCE(MAX(rowid), 0) FROM \"{table}\"");
        return maximum.Step() ? (int)Math.Min(maximum.Int64(0), Array.MaxLength) : 0;
    }

    /// <summary>
    /// A population episode. A struct in one list, not a million objects that each report's collections had to promote
    /// through every generation (about 4% of a report's CPU, bench/ANALYSIS.md).
    /// </summary>
    private record struct EpisodeRow(IdKey Patient, Provision Provision, DateTime StartTime, int RenewalCount, DateTime? LastRenewalTime)
    {
        /// <summary>Fire times of the episode's tribunal triggers fired by T (null: none).</summary>
        public List<DateTime>? FireTimes { get; set; }
    }

    /// <summary>
    /// A column's few distinct values as one string each: the patients' ethnic categories are a code list, and the
    /// grouping hashes and compares the category of every episode's patient (a million strings read at random, where
    /// a few dozen stay in cache). Past <see cref="Limit"/> distinct values, further ones are not kept.
    /// </summary>
    private sealed class TextValues
    {
        private const int Limit = 4096;
        private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

        public string Get(ReadOnlySpan<byte> utf8)
        {
            if (utf8.Length <= 64)
            {
                Span<char> chars = stackalloc char[64];
                var length = System.Text.Encoding.UTF8.GetChars(utf8, chars);
                if (_values.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(chars[..length], out var known))
                {
                    return known;
                }

                var value = new string(chars[..length]);
                if (_values.Count < Limit)
                {
                    _values.Add(value, value);
                }

                return value;
            }

            return System.Text.Encoding.UTF8.GetString(utf8);
        }
    }

    /// <summary>
    /// The population's patients for the adjustment measures: the set of the episodes' patients is made on the first
    /// question, on the asking thread (a million ids, beside the duty pass).
    /// </summary>
    private sealed class Population(List<EpisodeRow> episodes, IdIndex patientIndex, List<PatientRow> patients) : IPopulationPatients
    {
        private readonly Lazy<IdIndex> _patientsOfEpisodes = new(() =>
        {
            var set = new IdIndex(patients.Count);
            foreach (var episode in episodes)
            {
                set.Set(episode.Patient, 0);
            }

            return set;
        });

        public bool Contains(string patientId) => _patientsOfEpisodes.Value.ContainsKey(IdKey.From(patientId));

        public bool TryGetBreakdown(string patientId, out string? ethnic, out PatientSex sex)
        {
            if (patientIndex.TryGetValue(IdKey.From(patientId), out var at))
            {
                (ethnic, sex) = (patients[at].Ethnic, patients[at].Sex);
                return true;
            }

            (ethnic, sex) = (null, default);
            return false;
        }
    }

    private readonly record struct PatientRow(string? Ethnic, PatientSex Sex, DateOnly? DateOfBirth);

    /// <summary>A breakdown cell: the SQL path's GROUP BY keys.</summary>
    private readonly record struct CellKey(Provision Provision, string? Ethnic, PatientSex Sex, int AgeBand, int Month);

    /// <summary>
    /// One slice's cells, in the order met, without objects per cell (a long period has a few hundred thousand cells,
    /// and their objects, all alive to the end of the report, made the collections after the scan pause it): the
    /// counters in one array, the timing values in one array per measure, ordered by cell.
    /// </summary>
    private sealed class SliceCells
    {
        public static readonly int Width = Enum.GetValues<Counter>().Length;

        private readonly Dictionary<CellKey, int> _index = [];
        private readonly List<CellKey> _keys = [];
        private readonly List<CellTotals> _totals = [];
        private long[] _counters = new long[Width * 1024];
        private long[] _first = [];
        private long[] _understood = [];
        private int[] _firstStart = [];
        private int[] _understoodStart = [];

        public int Count => _keys.Count;

        public CellKey Key(int cell) => _keys[cell];

        /// <summary>The cell of a key, added if new.</summary>
        public int Cell(in CellKey key)
        {
            if (!_index.TryGetValue(key, out var cell))
            {
                cell = _keys.Count;
                _index.Add(key, cell);
                _keys.Add(key);
                _totals.Add(default);
                if (_counters.Length < _keys.Count * Width)
                {
                    Array.Resize(ref _counters, _counters.Length * 2);
                }
            }

            return cell;
        }

        public ref CellTotals Totals(int cell) => ref CollectionsMarshal.AsSpan(_totals)[cell];

        public Span<long> Counters(int cell) => _counters.AsSpan(cell * Width, Width);

        public ArraySegment<long> FirstSeconds(int cell) => new(_first, _firstStart[cell], _totals[cell].FirstCount);

        public ArraySegment<long> UnderstoodSeconds(int cell) => new(_understood, _understoodStart[cell], _totals[cell].UnderstoodCount);

        /// <summary>
        /// The episodes' timing values, each cell's together in the episodes' order, once every episode is counted
        /// (<paramref name="cellOf"/>: each episode's cell, -1 for none).
        /// </summary>
        public void GatherValues(int[] cellOf, ReadOnlySpan<EpisodeSums> sums)
        {
            _firstStart = Starts(c => c.FirstCount, out var firstTotal);
            _understoodStart = Starts(c => c.UnderstoodCount, out var understoodTotal);
            _first = new long[firstTotal];
            _understood = new long[understoodTotal];
            var firstAt = (int[])_firstStart.Clone();
            var understoodAt = (int[])_understoodStart.Clone();
            for (var i = 0; i < cellOf.Length; i++)
            {
                if (cellOf[i] < 0)
                {
                    continue;
                }

                if (sums[i].First is { } first)
                {
                    _first[firstAt[cellOf[i]]++] = first;
                }

                if (sums[i].Understood is { } understood)
                {
                    _understood[understoodAt[cellOf[i]]++] = understood;
                }
            }
        }

        private int[] Starts(Func<CellTotals, int> count, out int total)
        {
            var starts = new int[_totals.Count];
            total = 0;
            for (var cell = 0; cell < starts.Length; cell++)
            {
                starts[cell] = total;
                total += count(_totals[cell]);
            }

            return starts;
        }
    }

    /// <summary>A cell's sums other than its counters.</summary>
    private struct CellTotals
    {
        public long Episodes;
        public long CommunicationAttempts;
        public long CommunicationUnmet;
        public int FirstCount;
        public int UnderstoodCount;
    }

    /// <summary>
    /// One population episode's sums over its duties (<see cref="Index"/>: its position in the population list;
    /// <see cref="Summed"/> is false in the default value, which stands for an episode without duties).
    /// </summary>
    private struct EpisodeSums(int index)
    {
        public readonly int Index = index;
        public readonly bool Summed = index >= 0;
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
