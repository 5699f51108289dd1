using System.Globalization;
using System.Linq.Expressions;
using MhaRights.Server.Adjustments;
using MhaRights.Server.LegalStatus;
using MhaRights.Server.Patients;
using MhaRights.Server.Persistence;
using MhaRights.Server.Rights.Duties;
using MhaRights.Server.Rights.Rules;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace MhaRights.Server.Reporting.Queries;

/// <summary>The numerators and denominators counted per cell, in report order (see <see cref="MeasureCatalog"/>).</summary>
public enum Counter
{
    InitialDen,
    InitialNum,
    ChangeDen,
    ChangeNum,
    RecallDen,
    RecallNum,
    RepeatDen,
    RepeatNum,
    RenewalDen,
    RenewalNum,
    TribunalDen,
    TribunalNum,
    NearestRelativeDen,
    NearestRelativeNum,
    NotUnderstoodDen,
    NotUnderstoodNum,
    NoticeDen,
    NoticeNum,
    ImhaDen,
    ImhaNum,
}

/// <summary>One population episode with its duties' flags summed (packed counters) and its initial duty's timings.</summary>
internal sealed class EpisodeFacts
{
    public Provision Provision { get; init; }

    public string? Ethnic { get; init; }

    public PatientSex Sex { get; init; }

    public DateTime StartTime { get; init; }

    public DateOnly? DateOfBirth { get; init; }

    public long PackA { get; init; }

    public long PackB { get; init; }

    public long PackC { get; init; }

    public long? FirstSeconds { get; init; }

    public long? UnderstoodSeconds { get; init; }
}

/// <summary>
/// The counts for one combination of breakdown keys (provision × ethnic category × sex × age band × month), plus
/// the timing values of its initial duties. Every breakdown and the headline are roll-ups of these cells, so the
/// database reads the population once.
/// </summary>
public sealed class ReportCell : IReportKeys
{
    public Provision Provision { get; init; }

    public string? Ethnic { get; init; }

    public PatientSex Sex { get; init; }

    public int AgeBand { get; init; }

    public int Month { get; init; }

    public long InitialDen { get; init; }

    public long InitialNum { get; init; }

    public long ChangeDen { get; init; }

    public long ChangeNum { get; init; }

    public long RecallDen { get; init; }

    public long RecallNum { get; init; }

    public long RepeatDen { get; init; }

    public long RepeatNum { get; init; }

    public long RenewalDen { get; init; }

    public long RenewalNum { get; init; }

    public long TribunalDen { get; init; }

    public long TribunalNum { get; init; }

    public long NearestRelativeDen { get; init; }

    public long NearestRelativeNum { get; init; }

    public long NotUnderstoodDen { get; init; }

    public long NotUnderstoodNum { get; init; }

    public long NoticeDen { get; init; }

    public long NoticeNum { get; init; }

    public long ImhaDen { get; init; }

    public long ImhaNum { get; init; }

    public long Episodes { get; init; }

    /// <summary>Comma-separated seconds from duty opening to the first standing attempt (empty entries = none).</summary>
    public string FirstSeconds { get; init; } = string.Empty;

    /// <summary>Comma-separated seconds from duty opening to the first standing understood attempt.</summary>
    public string UnderstoodSeconds { get; init; } = string.Empty;

    /// <summary>
    /// The <see cref="FirstSeconds"/> values as numbers, where the cell was summed in memory (<see cref="ReportScan"/>):
    /// a million values over a long period are not formatted only to be parsed again.
    /// </summary>
    internal IReadOnlyList<long>? FirstSecondsValues { get; init; }

    /// <summary>The <see cref="UnderstoodSeconds"/> values as numbers, as <see cref="FirstSecondsValues"/>.</summary>
    internal IReadOnlyList<long>? UnderstoodSecondsValues { get; init; }

    /// <summary>Seconds to the first standing attempt, one per episode that has one.</summary>
    public IReadOnlyList<long> FirstSecondsList() => FirstSecondsValues ?? ParseSeconds(FirstSeconds);

    /// <summary>Seconds to the first standing understood attempt, one per episode that has one.</summary>
    public IReadOnlyList<long> UnderstoodSecondsList() => UnderstoodSecondsValues ?? ParseSeconds(UnderstoodSeconds);

    /// <summary>The sum for one counter.</summary>
    public long this[Counter counter] => counter switch
    {
        Counter.InitialDen => InitialDen,
        Counter.InitialNum => InitialNum,
        Counter.ChangeDen => ChangeDen,
        Counter.ChangeNum => ChangeNum,
        Counter.RecallDen => RecallDen,
        Counter.RecallNum => RecallNum,
        Counter.RepeatDen => RepeatDen,
        Counter.RepeatNum => RepeatNum,
        Counter.RenewalDen => RenewalDen,
        Counter.RenewalNum => RenewalNum,
        Counter.TribunalDen => TribunalDen,
        Counter.TribunalNum => TribunalNum,
        Counter.NearestRelativeDen => NearestRelativeDen,
        Counter.NearestRelativeNum => NearestRelativeNum,
        Counter.NotUnderstoodDen => NotUnderstoodDen,
        Counter.NotUnderstoodNum => NotUnderstoodNum,
        Counter.NoticeDen => NoticeDen,
        Counter.NoticeNum => NoticeNum,
        Counter.ImhaDen => ImhaDen,
        Counter.ImhaNum => ImhaNum,
        _ => throw new ArgumentOutOfRangeException(nameof(counter), counter, null),
    };

    /// <summary>The set-based statement's comma-separated seconds (empty entries are episodes without a value).</summary>
    private static List<long> ParseSeconds(string secondsList)
    {
        var values = new List<long>();
        foreach (var part in secondsList.AsSpan().Split(','))
        {
            var text = secondsList.AsSpan()[part];
            if (!text.IsEmpty)
            {
                values.Add(long.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture));
            }
        }

        return values;
    }
}

/// <summary>Explanation attempts that recorded communication needs, per breakdown cell.</summary>
public sealed class CommunicationCell : IReportKeys
{
    public Provision Provision { get; init; }

    public string? Ethnic { get; init; }

    public PatientSex Sex { get; init; }

    public int AgeBand { get; init; }

    public int Month { get; init; }

    public long Attempts { get; init; }

    public long Unmet { get; init; }
}

/// <summary>
/// The set-based query behind the compliance report: one SQL statement (per time partition), built from LINQ.
/// <para>
/// Shape. Inner level, one row per population episode: episodes ⋈ patients ⋈ duties, GROUP BY the episode, each
/// duty contributing a few 0/1 flags packed 8 bits apart into three integers (so the episode's SUMs carry up to 7
/// counters each without overflow: an episode has a handful of duties) and its initial duty contributing the seconds
/// to first attempt and to understanding. Outer level: GROUP BY provision, ethnic category, sex, age band and month,
/// unpacking the counters with integer division and concatenating the timing values (group_concat / STRING_AGG).
/// Percentiles need the values, not an aggregate, so the one projected column per cell is the list of timings.
/// </para>
/// <para>
/// Two modes. Now: the duty's own columns (state, first attempt time, attempt count, next attempt time) are what the
/// domain maintains on every change, so no history is read. As of T: the duty's state is the target state of its last
/// audit event recorded by T, and its attempts are those recorded by T and not voided or corrected by T, each read by
/// a correlated subquery (slower; for reproducing past reports).
/// </para>
/// </summary>
internal sealed partial class ComplianceQueries
{
    /// <summary>Bits per packed counter.</summary>
    public const int CounterBits = 8;

    /// <summary>Counters per packed integer (7 × 8 = 56 bits, clear of the sign bit).</summary>
    public const int CountersPerPack = 7;

    private static readonly DutyState[] OpenStates = [DutyState.Due, DutyState.Attempted, DutyState.ReattemptScheduled, DutyState.Understood, DutyState.ReminderDue, DutyState.Overdue];

    private readonly MhaRightsDbContext _db;
    private readonly ReportRequest _request;
    private readonly DateTime _t;
    private readonly bool _asOfMode;
    private readonly TrustPolicy _policy;
    private readonly RightsRuleSet _rules;
    private readonly ExpressionExpander _expander;

    /// <summary>The trust policy the report runs under (SLAs, headline suppression rule).</summary>
    public TrustPolicy Policy => _policy;

    public ComplianceQueries(MhaRightsDbContext db, ReportRequest request, DateTime asOf, TrustPolicy policy, RightsRuleSet rules, ReportMonths months)
    {
        _db = db;
        _request = request;
        _t = asOf;
        _asOfMode = request.AsOf is not null;
        _policy = policy;
        _rules = rules;
        _expander = MapShared(new ExpressionExpander(), months)
            .Map(nameof(Placeholders.Seconds), SecondsExpression(db));
        MapLookupPlaceholders(_expander);
    }

    /// <summary>
    /// The placeholders whose expansion is the same in SQL and in memory (<see cref="DutyFactEvaluator"/>): the
    /// measures' definitions, the breakdown keys and the duty's own columns. Only the seconds arithmetic and the
    /// lookups into other tables differ.
    /// </summary>
    private ExpressionExpander MapShared(ExpressionExpander expander, ReportMonths months)
    {
        expander
            .Map(nameof(Placeholders.SlaMinutes), SlaMinutesExpression(_policy))
            .Map(nameof(Placeholders.MonthIndex), MonthIndexExpression(months.Boundaries))
            .Map(nameof(Placeholders.AgeBand), AgeBandExpression())
            .Map(nameof(Placeholders.State), _asOfMode ? StateFromAudit() : CurrentState())
            .Map(nameof(Placeholders.Standing), StandingExpression())
            .Map(nameof(Placeholders.FirstAttempt), _asOfMode ? FirstAttemptFromAttempts() : d => d.FirstAttemptTime)
            .Map(nameof(Placeholders.AttemptCount), _asOfMode ? AttemptCountFromAttempts() : d => d.AttemptCount)
            .Map(nameof(Placeholders.FirstUnderstood), FirstUnderstoodExpression())
            .Map(nameof(Placeholders.LatestUnsuccessful), LatestUnsuccessfulExpression())
            .Map(nameof(Placeholders.ReattemptLapsed), ReattemptLapsedExpression())
            .Map(nameof(Placeholders.RenewalRaised), RenewalRaisedExpression())
            .Map(nameof(Placeholders.PeriodicCutoff), PeriodicCutoffExpression())
            .Map(nameof(Placeholders.PeriodicEnd), PeriodicEndExpression());
        MapProjectedPlaceholders(expander);
        MapFactPlaceholders(expander);
        return expander
            .Map(nameof(Placeholders.PackA), PackAExpression())
            .Map(nameof(Placeholders.PackB), PackBExpression())
            .Map(nameof(Placeholders.PackC), PackCExpression())
            .Map(nameof(Placeholders.FirstSeconds), TimingSecondsExpression(understood: false))
            .Map(nameof(Placeholders.UnderstoodSeconds), TimingSecondsExpression(understood: true));
    }

    /// <summary>The population: episodes starting in [periodStart, periodEnd), recorded by T, not entered in error by T, filtered.</summary>
    public IQueryable<LegalStatusEpisode> Episodes(DateTime periodStart, DateTime periodEnd)
    {
        var t = _t;
        var episodes = _db.Episodes.AsNoTracking()
            .Where(e => e.StartTime >= periodStart && e.StartTime < periodEnd && e.CreateTime <= t)
            .Where(e => !(e.EndReason == EpisodeEndReason.EnteredInError && e.UpdateTime <= t));
        if (_request.Hospital is { } hospital)
        {
            episodes = episodes.Where(e => e.Hospital == hospital);
        }

        if (_request.Ward is { } ward)
        {
            episodes = episodes.Where(e => e.Ward == ward);
        }

        if (_request.Provision is { } provision)
        {
            episodes = episodes.Where(e => e.Provision == provision);
        }

        return episodes;
    }

    /// <summary>The cells of episodes starting in [periodStart, periodEnd) (a time partition of the period), counters unpacked.</summary>
    public Task<List<ReportCell>> CellsAsync(DateTime periodStart, DateTime periodEnd, CancellationToken cancellationToken) =>
        CellsQuery(periodStart, periodEnd).ToListAsync(cancellationToken);

    /// <summary>
    /// Standing attempts that recorded how communication needs were met, on duties of population episodes, counted
    /// per breakdown cell. Driven by the adjustment records (needs exist only for patients with one), so it reads only
    /// those patients' attempts.
    /// </summary>
    public Task<List<CommunicationCell>> CommunicationCellsAsync(CancellationToken cancellationToken)
    {
        var query =
            from r in _db.Set<AdjustmentRecord>().AsNoTracking()
            join a in _db.Attempts.AsNoTracking() on r.PatientId equals a.PatientId
            join d in _db.Duties.AsNoTracking() on a.DutyId equals d.Id
            join e in Episodes(_request.Start, _request.End) on d.EpisodeId equals e.Id
            join p in _db.Patients.AsNoTracking() on e.PatientId equals p.Id
            where a.CommunicationNeedsJson != null && Placeholders.Standing(a)
            group a by new
            {
                e.Provision,
                p.EthnicCategory,
                p.Sex,
                AgeBand = Placeholders.AgeBand(e.StartTime, p.DateOfBirth),
                Month = Placeholders.MonthIndex(e.StartTime),
            } into g
            select new CommunicationCell
            {
                Provision = g.Key.Provision,
                Ethnic = g.Key.EthnicCategory,
                Sex = g.Key.Sex,
                AgeBand = g.Key.AgeBand,
                Month = g.Key.Month,
                Attempts = g.LongCount(),
                Unmet = g.Sum(a => a.UnmetCommunicationNeeds > 0 ? 1L : 0L),
            };
        return _expander.Expand(query).ToListAsync(cancellationToken);
    }

    /// <summary>The SQL text of the query (diagnostics, tests and the benchmark's results file).</summary>
    public string Sql() => CellsQuery(_request.Start, _request.End).ToQueryString();

    private IQueryable<ReportCell> CellsQuery(DateTime periodStart, DateTime periodEnd)
    {
        // Counters are summed per episode in 8-bit fields, then unpacked (integer division and modulo by powers of
        // 256) and summed per cell: a cell sums many episodes, so its totals may not be packed again.
        var perDuty =
            from e in Episodes(periodStart, periodEnd)
            join p in _db.Patients.AsNoTracking() on e.PatientId equals p.Id
            join d in _db.Duties.AsNoTracking() on e.Id equals d.EpisodeId
            select new
            {
                e.Id,
                e.Provision,
                p.EthnicCategory,
                p.Sex,
                e.StartTime,
                p.DateOfBirth,
                PackA = Placeholders.PackA(d, e),
                PackB = Placeholders.PackB(d, e),
                PackC = Placeholders.PackC(d, e),
                First = Placeholders.FirstSeconds(d, e),
                Understood = Placeholders.UnderstoodSeconds(d, e),
            };
        var perEpisode = perDuty
            // Grouped by the episode alone: its other columns and its patient's are the same on each of its rows, so any
            // aggregate of them is the value. As grouping keys they made PostgreSQL sort the merge join's output again
            // (already in episode order) on four more columns (0.8 s of a 6.7 s slice at 1,000,000 episodes).
            .GroupBy(r => r.Id)
            .Select(g => new EpisodeFacts
            {
                Provision = g.Max(r => r.Provision),
                Ethnic = g.Max(r => r.EthnicCategory),
                Sex = g.Max(r => r.Sex),
                StartTime = g.Max(r => r.StartTime),
                DateOfBirth = g.Max(r => r.DateOfBirth),
                PackA = g.Sum(r => r.PackA),
                PackB = g.Sum(r => r.PackB),
                PackC = g.Sum(r => r.PackC),
                FirstSeconds = g.Max(r => r.First),
                UnderstoodSeconds = g.Max(r => r.Understood),
            });
        var cells = perEpisode
            // The integer keys first: the sort behind this GROUP BY then compares the text keys only within a month and
            // age band (PostgreSQL, 500,000 episodes: 0.6 s less CPU).
            .GroupBy(f => new
            {
                Month = Placeholders.MonthIndex(f.StartTime),
                AgeBand = Placeholders.AgeBand(f.StartTime, f.DateOfBirth),
                f.Sex,
                f.Provision,
                f.Ethnic,
            })
            .Select(g => new ReportCell
            {
                Provision = g.Key.Provision,
                Ethnic = g.Key.Ethnic,
                Sex = g.Key.Sex,
                AgeBand = g.Key.AgeBand,
                Month = g.Key.Month,
                Episodes = g.LongCount(),
                InitialDen = g.Sum(f => f.PackA % B1),
                InitialNum = g.Sum(f => f.FirstSeconds <= Placeholders.SlaSeconds(f.Provision) ? 1L : 0L),
                ChangeDen = g.Sum(f => f.PackA / B2 % B1),
                ChangeNum = g.Sum(f => f.PackA / B3 % B1),
                RecallDen = g.Sum(f => f.PackA / B4 % B1),
                RecallNum = g.Sum(f => f.PackA / B5 % B1),
                RepeatDen = g.Sum(f => f.PackA / B6 % B1),
                RepeatNum = g.Sum(f => f.PackB % B1),
                RenewalDen = g.Sum(f => f.PackB / B1 % B1),
                RenewalNum = g.Sum(f => f.PackB / B2 % B1),
                TribunalDen = g.Sum(f => f.PackB / B3 % B1),
                TribunalNum = g.Sum(f => f.PackB / B4 % B1),
                NearestRelativeDen = g.Sum(f => f.PackB / B5 % B1),
                NearestRelativeNum = g.Sum(f => f.PackB / B6 % B1),
                NotUnderstoodDen = g.Sum(f => f.PackC % B1),
                NotUnderstoodNum = g.Sum(f => f.PackC / B1 % B1),
                NoticeDen = g.Sum(f => f.PackC / B2 % B1),
                NoticeNum = g.Sum(f => f.PackC / B3 % B1),
                ImhaDen = g.Sum(f => f.PackC / B4 % B1),
                ImhaNum = g.Sum(f => f.PackC / B5 % B1),
                FirstSeconds = string.Join(",", g.Select(f => f.FirstSeconds.ToString())),
                UnderstoodSeconds = string.Join(",", g.Select(f => f.UnderstoodSeconds.ToString())),
            });
        return _expander.Expand(cells);
    }
}
