using System.Linq.Expressions;
using MhaRights.Server.LegalStatus;
using MhaRights.Server.Patients;
using MhaRights.Server.Persistence;
using MhaRights.Server.Rights.Duties;
using MhaRights.Server.Rights.Rules;
using Microsoft.EntityFrameworkCore;

namespace MhaRights.Server.Reporting.Queries;

/// <summary>The breakdown keys of one episode, computed once per episode in the database.</summary>
internal sealed class EpisodeKeys
{
    public required string Id { get; init; }

    public required string PatientId { get; init; }

    public Provision Provision { get; init; }

    public string? Ethnic { get; init; }

    public PatientSex Sex { get; init; }

    public int AgeBand { get; init; }

    public int Month { get; init; }

    public bool FromChange { get; init; }
}

/// <summary>Population episode with its patient's demographics; the age difference is computed once here.</summary>
internal sealed class EpisodeBase
{
    public required string Id { get; init; }

    public required string PatientId { get; init; }

    public Provision Provision { get; init; }

    public string? Ethnic { get; init; }

    public PatientSex Sex { get; init; }

    public DateTime StartTime { get; init; }

    /// <summary>yyyymmdd(start) − yyyymmdd(date of birth); null without a date of birth.</summary>
    public int? AgeDifference { get; init; }

    public bool FromChange { get; init; }
}

/// <summary>One duty of a population episode with everything the measures need, as it stood at the as-of time.</summary>
internal sealed class DutyFacts
{
    public Provision Provision { get; init; }

    public string? Ethnic { get; init; }

    public PatientSex Sex { get; init; }

    public int AgeBand { get; init; }

    public int Month { get; init; }

    public bool FromChange { get; init; }

    public DutyKind Kind { get; init; }

    public DutyTrigger Trigger { get; init; }

    public DateTime? DueTime { get; init; }

    public DateTime? ResolvedTime { get; init; }

    public DateTime SlaDeadline { get; init; }

    /// <summary>State name at the as-of time; null when the duty did not exist yet.</summary>
    public string? State { get; init; }

    public DateTime? FirstAttempt { get; init; }

    public int Standing { get; init; }

    public AttemptOutcome? LatestOutcome { get; init; }

    public DateTime? LatestReattempt { get; init; }

    public bool RenewalRaised { get; init; }

    public bool RenewalAnswered { get; init; }

    public bool TribunalRaised { get; init; }

    public bool TribunalAnswered { get; init; }

    public bool RepeatNeeded { get; init; }

    public bool ImhaGiven { get; init; }
}

/// <summary>
/// The sums for one combination of breakdown keys (provision × ethnic category × sex × age band × month): every
/// breakdown, and the headline, is a roll-up of these cells, so the database scans the population once.
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

    public long RenewalDen { get; init; }

    public long RenewalNum { get; init; }

    public long TribunalDen { get; init; }

    public long TribunalNum { get; init; }

    public long RecallDen { get; init; }

    public long RecallNum { get; init; }

    public long RepeatDen { get; init; }

    public long RepeatNum { get; init; }

    public long NearestRelativeDen { get; init; }

    public long NearestRelativeNum { get; init; }

    public long NotUnderstoodDen { get; init; }

    public long NotUnderstoodNum { get; init; }

    public long NoticeDen { get; init; }

    public long NoticeNum { get; init; }

    public long ImhaDen { get; init; }

    public long ImhaNum { get; init; }
}

/// <summary>Timing values of one initial duty (hours are computed from the two times in memory).</summary>
public sealed class TimingRow : IReportKeys
{
    public Provision Provision { get; init; }

    public string? Ethnic { get; init; }

    public PatientSex Sex { get; init; }

    public int AgeBand { get; init; }

    public int Month { get; init; }

    public DateTime OpenTime { get; init; }

    public DateTime? FirstAttempt { get; init; }

    public DateTime? FirstUnderstood { get; init; }
}

/// <summary>
/// The set-based queries behind the compliance report (LINQ translated by EF to one SQL statement each).
/// <para>
/// Shape: population episodes with their breakdown keys (computed once per episode) → their duties with the
/// per-duty facts as correlated subqueries (first standing attempt, state at T, re-explanation triggers...) →
/// GROUP BY the breakdown keys with SUM(CASE ...) for every numerator and denominator. The two inner levels end in
/// Take(int.MaxValue) so the database computes each per-row subquery once (SQLite does not flatten a LIMITed
/// subquery into an aggregate, so the subqueries are not repeated inside every SUM).
/// </para>
/// </summary>
internal sealed class ComplianceQueries
{
    private const int All = int.MaxValue;

    private static readonly DutyState[] StateNames = Enum.GetValues<DutyState>();

    private readonly MhaRightsDbContext _db;
    private readonly ReportRequest _request;
    private readonly DateTime _t;
    private readonly bool _asOfMode;
    private readonly ExpressionExpander _expander;

    public ComplianceQueries(MhaRightsDbContext db, ReportRequest request, DateTime asOf, TrustPolicy policy, ReportMonths months)
    {
        _db = db;
        _request = request;
        _t = asOf;
        _asOfMode = request.AsOf is not null;
        _expander = new ExpressionExpander()
            .Map(nameof(Placeholders.SlaMinutes), SlaMinutesExpression(policy))
            .Map(nameof(Placeholders.MonthIndex), MonthIndexExpression(months.Boundaries))
            .Map(nameof(Placeholders.AgeBand), AgeBandExpression())
            .Map(nameof(Placeholders.DutyStateAt), _asOfMode ? StateFromAuditExpression(db, asOf) : CurrentStateExpression());
        ReattemptMinutes = (int)Math.Round(policy.ReattemptInterval.TotalMinutes);
    }

    private int ReattemptMinutes { get; }

    /// <summary>The population: episodes starting in the period, recorded by T, not entered in error by T, filtered.</summary>
    public IQueryable<LegalStatusEpisode> Episodes()
    {
        var start = _request.Start;
        var end = _request.End;
        var t = _t;
        var episodes = _db.Episodes.AsNoTracking()
            .Where(e => e.StartTime >= start && e.StartTime < end && e.CreateTime <= t)
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

    /// <summary>One row per combination of breakdown keys with every numerator and denominator summed.</summary>
    public Task<List<ReportCell>> CellsAsync(CancellationToken cancellationToken)
    {
        var t = _t;
        var query = Facts()
            .GroupBy(f => new { f.Provision, f.Ethnic, f.Sex, f.AgeBand, f.Month })
            .Select(g => new ReportCell
            {
                Provision = g.Key.Provision,
                Ethnic = g.Key.Ethnic,
                Sex = g.Key.Sex,
                AgeBand = g.Key.AgeBand,
                Month = g.Key.Month,

                // initial_within_sla (see MeasureCatalog for every definition).
                InitialDen = g.Sum(f => (f.Kind == DutyKind.Section132_1 || f.Kind == DutyKind.Section132A)
                    && f.State != null && f.State != nameof(DutyState.NotApplicable)
                    && !((f.State == nameof(DutyState.Superseded) || f.State == nameof(DutyState.Closed)) && f.ResolvedTime < f.SlaDeadline && f.FirstAttempt == null)
                    && (f.SlaDeadline <= t || f.FirstAttempt <= f.SlaDeadline) ? 1L : 0L),
                InitialNum = g.Sum(f => (f.Kind == DutyKind.Section132_1 || f.Kind == DutyKind.Section132A)
                    && f.State != null && f.State != nameof(DutyState.NotApplicable)
                    && f.FirstAttempt <= f.SlaDeadline ? 1L : 0L),

                ChangeDen = g.Sum(f => (f.Kind == DutyKind.Section132_1 || f.Kind == DutyKind.Section132A)
                    && (f.Trigger == DutyTrigger.ChangeOfProvision || f.Trigger == DutyTrigger.CtoRevoked || (f.Trigger == DutyTrigger.CtoMade && f.FromChange))
                    && f.State != null && f.State != nameof(DutyState.NotApplicable)
                    && !((f.State == nameof(DutyState.Superseded) || f.State == nameof(DutyState.Closed)) && f.ResolvedTime < f.SlaDeadline && f.FirstAttempt == null)
                    && (f.SlaDeadline <= t || f.FirstAttempt <= f.SlaDeadline) ? 1L : 0L),
                ChangeNum = g.Sum(f => (f.Kind == DutyKind.Section132_1 || f.Kind == DutyKind.Section132A)
                    && (f.Trigger == DutyTrigger.ChangeOfProvision || f.Trigger == DutyTrigger.CtoRevoked || (f.Trigger == DutyTrigger.CtoMade && f.FromChange))
                    && f.State != null && f.State != nameof(DutyState.NotApplicable)
                    && f.FirstAttempt != null ? 1L : 0L),

                RecallDen = g.Sum(f => (f.Kind == DutyKind.Section132_1 || f.Kind == DutyKind.Section132A)
                    && f.Trigger == DutyTrigger.CtoRecall
                    && f.State != null && f.State != nameof(DutyState.NotApplicable)
                    && !((f.State == nameof(DutyState.Superseded) || f.State == nameof(DutyState.Closed)) && f.ResolvedTime < f.SlaDeadline && f.FirstAttempt == null)
                    && (f.SlaDeadline <= t || f.FirstAttempt <= f.SlaDeadline) ? 1L : 0L),
                RecallNum = g.Sum(f => (f.Kind == DutyKind.Section132_1 || f.Kind == DutyKind.Section132A)
                    && f.Trigger == DutyTrigger.CtoRecall
                    && f.State != null && f.State != nameof(DutyState.NotApplicable)
                    && f.FirstAttempt != null ? 1L : 0L),

                RenewalDen = g.Sum(f => f.State != null && f.State != nameof(DutyState.NotApplicable) && (f.RenewalRaised || f.RenewalAnswered) ? 1L : 0L),
                RenewalNum = g.Sum(f => f.State != null && f.State != nameof(DutyState.NotApplicable) && f.RenewalAnswered ? 1L : 0L),
                TribunalDen = g.Sum(f => f.State != null && f.State != nameof(DutyState.NotApplicable) && (f.TribunalRaised || f.TribunalAnswered) ? 1L : 0L),
                TribunalNum = g.Sum(f => f.State != null && f.State != nameof(DutyState.NotApplicable) && f.TribunalAnswered ? 1L : 0L),

                RepeatDen = g.Sum(f => (f.Kind == DutyKind.Section132_1 || f.Kind == DutyKind.Section132A)
                    && f.State != null && f.State != nameof(DutyState.NotApplicable) && f.FirstAttempt != null && f.RepeatNeeded ? 1L : 0L),
                RepeatNum = g.Sum(f => (f.Kind == DutyKind.Section132_1 || f.Kind == DutyKind.Section132A)
                    && f.State != null && f.State != nameof(DutyState.NotApplicable) && f.FirstAttempt != null && f.RepeatNeeded && f.Standing >= 2 ? 1L : 0L),

                NearestRelativeDen = g.Sum(f => (f.Kind == DutyKind.NearestRelativeCopy132 || f.Kind == DutyKind.NearestRelativeCopy130D)
                    && f.State != null && f.State != nameof(DutyState.NotApplicable)
                    && !((f.State == nameof(DutyState.Superseded) || f.State == nameof(DutyState.Closed)) && f.ResolvedTime < f.DueTime)
                    && (f.State == nameof(DutyState.Sent) || f.State == nameof(DutyState.NotRequired) || f.DueTime <= t) ? 1L : 0L),
                NearestRelativeNum = g.Sum(f => (f.Kind == DutyKind.NearestRelativeCopy132 || f.Kind == DutyKind.NearestRelativeCopy130D)
                    && (f.State == nameof(DutyState.Sent) || f.State == nameof(DutyState.NotRequired)) ? 1L : 0L),

                NotUnderstoodDen = g.Sum(f => (f.Kind == DutyKind.Section132_1 || f.Kind == DutyKind.Section132_2 || f.Kind == DutyKind.Section132A || f.Kind == DutyKind.Section130D)
                    && (f.State == nameof(DutyState.Due) || f.State == nameof(DutyState.Attempted) || f.State == nameof(DutyState.ReattemptScheduled)
                        || f.State == nameof(DutyState.Understood) || f.State == nameof(DutyState.ReminderDue) || f.State == nameof(DutyState.Overdue))
                    && f.LatestOutcome != null && f.LatestOutcome != AttemptOutcome.Understood ? 1L : 0L),
                NotUnderstoodNum = g.Sum(f => (f.Kind == DutyKind.Section132_1 || f.Kind == DutyKind.Section132_2 || f.Kind == DutyKind.Section132A || f.Kind == DutyKind.Section130D)
                    && (f.State == nameof(DutyState.Due) || f.State == nameof(DutyState.Attempted) || f.State == nameof(DutyState.ReattemptScheduled)
                        || f.State == nameof(DutyState.Understood) || f.State == nameof(DutyState.ReminderDue) || f.State == nameof(DutyState.Overdue))
                    && f.LatestOutcome != null && f.LatestOutcome != AttemptOutcome.Understood && f.LatestReattempt < t ? 1L : 0L),

                NoticeDen = g.Sum(f => f.Kind == DutyKind.Section133DischargeNotice
                    && f.State != null && f.State != nameof(DutyState.NotRequired) && f.State != nameof(DutyState.NotApplicable) && f.State != nameof(DutyState.Superseded)
                    && (f.State == nameof(DutyState.Sent) || f.DueTime <= t) ? 1L : 0L),
                NoticeNum = g.Sum(f => f.Kind == DutyKind.Section133DischargeNotice
                    && f.State == nameof(DutyState.Sent) && f.ResolvedTime <= f.DueTime ? 1L : 0L),

                ImhaDen = g.Sum(f => f.Kind == DutyKind.Section130D
                    && f.State != null && f.State != nameof(DutyState.NotApplicable)
                    && (f.DueTime <= t || f.ImhaGiven) ? 1L : 0L),
                ImhaNum = g.Sum(f => f.Kind == DutyKind.Section130D
                    && f.State != null && f.State != nameof(DutyState.NotApplicable) && f.ImhaGiven ? 1L : 0L),
            });
        return query.ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The open time, first standing attempt and first standing understood attempt of every initial duty counted by
    /// initial_within_sla (the population of the two duration measures). Percentiles need the values themselves, so
    /// this is a projection of two times per duty rather than an aggregate; everything else is aggregated in SQL.
    /// </summary>
    public Task<List<TimingRow>> TimingsAsync(CancellationToken cancellationToken)
    {
        var t = _t;
        var standing = Standing();
        var query = _expander.Expand(
            from k in EpisodeKeysQuery()
            join d in _db.Duties.AsNoTracking() on k.Id equals d.EpisodeId
            where d.Kind == DutyKind.Section132_1 || d.Kind == DutyKind.Section132A
            select new
            {
                k.Provision,
                k.Ethnic,
                k.Sex,
                k.AgeBand,
                k.Month,
                d.OpenTime,
                d.ResolvedTime,
                SlaDeadline = d.OpenTime.AddMinutes(Placeholders.SlaMinutes(d.Provision)),
                State = Placeholders.DutyStateAt(d),
                FirstAttempt = _db.Attempts.Where(a => a.DutyId == d.Id).Where(standing).Min(a => (DateTime?)a.AttemptTime),
                FirstUnderstood = _db.Attempts.Where(a => a.DutyId == d.Id && a.Outcome == AttemptOutcome.Understood).Where(standing).Min(a => (DateTime?)a.AttemptTime),
            })
            .Take(All)
            .Where(f => f.State != null && f.State != nameof(DutyState.NotApplicable)
                && !((f.State == nameof(DutyState.Superseded) || f.State == nameof(DutyState.Closed)) && f.ResolvedTime < f.SlaDeadline && f.FirstAttempt == null)
                && (f.SlaDeadline <= t || f.FirstAttempt <= f.SlaDeadline))
            .Select(f => new TimingRow
            {
                Provision = f.Provision,
                Ethnic = f.Ethnic,
                Sex = f.Sex,
                AgeBand = f.AgeBand,
                Month = f.Month,
                OpenTime = f.OpenTime,
                FirstAttempt = f.FirstAttempt,
                FirstUnderstood = f.FirstUnderstood,
            });
        return query.ToListAsync(cancellationToken);
    }

    /// <summary>The SQL text of the cells query (for diagnostics and the benchmark's results file).</summary>
    public string CellsSql() => Facts().ToQueryString();

    private IQueryable<EpisodeKeys> EpisodeKeysQuery() =>
        _expander.Expand(
            (from e in Episodes()
             join p in _db.Patients.AsNoTracking() on e.PatientId equals p.Id
             select new EpisodeBase
             {
                 Id = e.Id,
                 PatientId = e.PatientId,
                 Provision = e.Provision,
                 Ethnic = p.EthnicCategory,
                 Sex = p.Sex,
                 StartTime = e.StartTime,
                 AgeDifference = p.DateOfBirth == null
                     ? null
                     : (e.StartTime.Year * 10000 + e.StartTime.Month * 100 + e.StartTime.Day)
                         - (p.DateOfBirth.Value.Year * 10000 + p.DateOfBirth.Value.Month * 100 + p.DateOfBirth.Value.Day),
                 FromChange = e.PreviousEpisodeId != null,
             })
            .Take(All)
            .Select(b => new EpisodeKeys
            {
                Id = b.Id,
                PatientId = b.PatientId,
                Provision = b.Provision,
                Ethnic = b.Ethnic,
                Sex = b.Sex,
                AgeBand = Placeholders.AgeBand(b.AgeDifference),
                Month = Placeholders.MonthIndex(b.StartTime),
                FromChange = b.FromChange,
            }))
            .Take(All);

    private IQueryable<DutyFacts> Facts()
    {
        var t = _t;
        var standing = Standing();
        var reattemptMinutes = ReattemptMinutes;
        var renewal = nameof(DutyTrigger.Renewal);
        var tribunal = nameof(DutyTrigger.TribunalWindow);
        const string raised = "ReexplanationRaised";
        var repeatStates = new[] { nameof(DutyState.ReattemptScheduled), nameof(DutyState.ReminderDue) };
        return _expander.Expand(
            from k in EpisodeKeysQuery()
            join d in _db.Duties.AsNoTracking() on k.Id equals d.EpisodeId
            where d.OpenTime <= t
            let resource = "patients/" + d.PatientId + "/duties/" + d.Id
            let reminderKind = d.Kind == DutyKind.Section132_1 || d.Kind == DutyKind.Section132A
            select new DutyFacts
            {
                Provision = k.Provision,
                Ethnic = k.Ethnic,
                Sex = k.Sex,
                AgeBand = k.AgeBand,
                Month = k.Month,
                FromChange = k.FromChange,
                Kind = d.Kind,
                Trigger = d.Trigger,
                DueTime = d.DueTime,
                ResolvedTime = d.ResolvedTime,
                SlaDeadline = d.OpenTime.AddMinutes(Placeholders.SlaMinutes(d.Provision)),
                State = Placeholders.DutyStateAt(d),
                FirstAttempt = _db.Attempts.Where(a => a.DutyId == d.Id).Where(standing).Min(a => (DateTime?)a.AttemptTime),
                Standing = _db.Attempts.Where(a => a.DutyId == d.Id).Where(standing).Count(),
                LatestOutcome = _db.Attempts.Where(a => a.DutyId == d.Id).Where(standing)
                    .OrderByDescending(a => a.AttemptTime).ThenByDescending(a => a.CreateTime)
                    .Select(a => (AttemptOutcome?)a.Outcome).FirstOrDefault(),
                LatestReattempt = _db.Attempts.Where(a => a.DutyId == d.Id).Where(standing)
                    .OrderByDescending(a => a.AttemptTime).ThenByDescending(a => a.CreateTime)
                    .Select(a => a.NextAttemptTime ?? a.AttemptTime.AddMinutes(reattemptMinutes)).FirstOrDefault(),
                RenewalRaised = reminderKind && _db.AuditEvents.Any(ev => ev.Resource == resource && ev.Action == raised && ev.Trigger == renewal
                    && ev.EventTime.AddMinutes(Placeholders.SlaMinutes(d.Provision)) <= t),
                RenewalAnswered = reminderKind && _db.Attempts.Where(a => a.DutyId == d.Id && a.Trigger == DutyTrigger.Renewal).Where(standing).Any(),
                TribunalRaised = reminderKind && _db.AuditEvents.Any(ev => ev.Resource == resource && ev.Action == raised && ev.Trigger == tribunal
                    && ev.EventTime.AddMinutes(Placeholders.SlaMinutes(d.Provision)) <= t),
                TribunalAnswered = reminderKind && _db.Attempts.Where(a => a.DutyId == d.Id && a.Trigger == DutyTrigger.TribunalWindow).Where(standing).Any(),
                RepeatNeeded = reminderKind && _db.AuditEvents.Any(ev => ev.Resource == resource && repeatStates.Contains(ev.ToState) && ev.EventTime <= t),
                ImhaGiven = d.Kind == DutyKind.Section130D && _db.Attempts
                    .Where(a => a.PatientId == d.PatientId && a.AttemptTime >= d.OpenTime
                        && (a.ImhaInformationGiven || (a.DutyId == d.Id && (a.Outcome == AttemptOutcome.Understood || a.Outcome == AttemptOutcome.PartlyUnderstood || a.Outcome == AttemptOutcome.NotUnderstood))))
                    .Where(standing).Any(),
            })
            .Take(All);
    }

    /// <summary>Recorded by T and not voided or corrected by T.</summary>
    private Expression<Func<ExplanationAttempt, bool>> Standing()
    {
        var t = _t;
        return a => a.CreateTime <= t && (a.State == AttemptState.Recorded || a.VoidTime > t);
    }

    /// <summary>Trust policy's SLA per provision as a CASE over the overridden provisions (default otherwise).</summary>
    private static Expression<Func<Provision, int>> SlaMinutesExpression(TrustPolicy policy)
    {
        var provision = Expression.Parameter(typeof(Provision), "provision");
        Expression body = Expression.Constant(Minutes(policy.InitialExplanationSla));
        foreach (var (p, sla) in policy.SlaOverrides.OrderByDescending(kv => kv.Key))
        {
            body = Expression.Condition(Expression.Equal(provision, Expression.Constant(p)), Expression.Constant(Minutes(sla)), body);
        }

        return Expression.Lambda<Func<Provision, int>>(body, provision);

        static int Minutes(NodaTime.Duration d) => (int)Math.Round(d.TotalMinutes);
    }

    /// <summary>The month index as a balanced tree of comparisons with the month boundaries (about log2(months) per row).</summary>
    private static Expression<Func<DateTime, int>> MonthIndexExpression(IReadOnlyList<DateTime> boundaries)
    {
        var start = Expression.Parameter(typeof(DateTime), "start");
        return Expression.Lambda<Func<DateTime, int>>(Build(0, boundaries.Count), start);

        // Index in [lo, hi]: the count of boundaries at or before start.
        Expression Build(int lo, int hi)
        {
            if (lo == hi)
            {
                return Expression.Constant(lo);
            }

            var mid = (lo + hi + 1) / 2;
            // start < boundaries[mid - 1] means fewer than mid boundaries have passed.
            return Expression.Condition(
                Expression.LessThan(start, Expression.Constant(boundaries[mid - 1])),
                Build(lo, mid - 1),
                Build(mid, hi));
        }
    }

    /// <summary>
    /// Age band at episode start from yyyymmdd(start) − yyyymmdd(date of birth): "age ≥ N" is "difference ≥ N × 10000"
    /// (exact whole years, no division), as a balanced tree; <see cref="AgeBands.Unknown"/> without a date of birth.
    /// </summary>
    private static Expression<Func<int?, int>> AgeBandExpression()
    {
        var difference = Expression.Parameter(typeof(int?), "difference");
        var bounds = AgeBands.LowerBounds.Select(y => y * 10000).ToArray();

        // Band in [lo, hi]: the count of lower bounds at or below the difference.
        Expression Build(int lo, int hi)
        {
            if (lo == hi)
            {
                return Expression.Constant(lo);
            }

            var mid = (lo + hi + 1) / 2;
            return Expression.Condition(
                Expression.LessThan(difference, Expression.Constant(bounds[mid - 1], typeof(int?))),
                Build(lo, mid - 1),
                Build(mid, hi));
        }

        var body = Expression.Condition(
            Expression.Equal(difference, Expression.Constant(null, typeof(int?))),
            Expression.Constant(AgeBands.Unknown),
            Build(0, bounds.Length));
        return Expression.Lambda<Func<int?, int>>(body, difference);
    }

    /// <summary>Now: the state column itself.</summary>
    private static Expression<Func<RightsDuty, string?>> CurrentStateExpression()
    {
        var duty = Expression.Parameter(typeof(RightsDuty), "d");
        var state = Expression.Property(duty, nameof(RightsDuty.State));
        Expression body = Expression.Constant(null, typeof(string));
        foreach (var value in StateNames.Reverse())
        {
            body = Expression.Condition(Expression.Equal(state, Expression.Constant(value)), Expression.Constant(value.ToString(), typeof(string)), body);
        }

        return Expression.Lambda<Func<RightsDuty, string?>>(body, duty);
    }

    /// <summary>As of T: the target state of the duty's last audited transition recorded by T (null before it opened).</summary>
    private static Expression<Func<RightsDuty, string?>> StateFromAuditExpression(MhaRightsDbContext db, DateTime t) =>
        d => db.AuditEvents
            .Where(ev => ev.Resource == "patients/" + d.PatientId + "/duties/" + d.Id && ev.ToState != null && ev.EventTime <= t)
            .OrderByDescending(ev => ev.Sequence)
            .Select(ev => ev.ToState)
            .FirstOrDefault();
}
