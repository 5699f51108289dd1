using System.Linq.Expressions;
using MhaRights.Server.LegalStatus;
using MhaRights.Server.Persistence;
using MhaRights.Server.Rights.Duties;
using MhaRights.Server.Rights.Rules;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace MhaRights.Server.Reporting.Queries;

/// <summary>
/// The per-duty facts and flags of <see cref="ComplianceQueries"/> as expression trees. Each measure's definition
/// (MeasureCatalog) is written here once, in terms of placeholders that expand to the duty's columns (now) or to
/// correlated subqueries over the audit trail and the attempts (as of T).
/// </summary>
internal sealed partial class ComplianceQueries
{
    private const long B1 = 1L << 8;
    private const long B2 = 1L << 16;
    private const long B3 = 1L << 24;
    private const long B4 = 1L << 32;
    private const long B5 = 1L << 40;
    private const long B6 = 1L << 48;

    private static readonly DutyState[] EndedStates = [DutyState.Superseded, DutyState.Closed];

    /// <summary>
    /// s132(1)/s132A initial duties: counters 0-6 (initial denominator; field 1 unused here: the numerator is counted
    /// per episode from the seconds to first attempt, <see cref="CellsQuery"/>; change, recall, repeat denominator).
    /// </summary>
    private static Expression<Func<RightsDuty, LegalStatusEpisode, long>> PackAExpression() =>
        (d, e) => (d.Kind == DutyKind.Section132_1 || d.Kind == DutyKind.Section132A)
            ? (Placeholders.InInitialPopulation(d)
                    ? 1L
                        + (d.Trigger == DutyTrigger.ChangeOfProvision || d.Trigger == DutyTrigger.CtoRevoked ? B2 + (Placeholders.FirstAttempt(d) != null ? B3 : 0L) : 0L)
                        + (d.Trigger == DutyTrigger.CtoRecall ? B4 + (Placeholders.FirstAttempt(d) != null ? B5 : 0L) : 0L)
                    : 0L)
                + (Placeholders.InRepeatPopulation(d) ? B6 : 0L)
            : 0L;

    /// <summary>Repeat numerator, renewal and tribunal (window or reference) re-explanations (initial duties); nearest-relative copies.</summary>
    private Expression<Func<RightsDuty, LegalStatusEpisode, long>> PackBExpression()
    {
        var t = _t;
        return (d, e) => (d.Kind == DutyKind.Section132_1 || d.Kind == DutyKind.Section132A)
            ? (Placeholders.InRepeatPopulation(d) && Placeholders.AttemptCount(d) >= 2 ? 1L : 0L)
                + (e.RenewalCount > 0 && Placeholders.Exists(d) && !Placeholders.IsNotApplicable(d)
                    ? (Placeholders.RenewalAttempted(d)
                        ? B1 + B2
                        : Placeholders.RenewalRaised(d, e) ? B1 : 0L)
                    : 0L)
                + (Placeholders.HasTribunalWindows(d.Provision) && Placeholders.Exists(d) && !Placeholders.IsNotApplicable(d) && Placeholders.TribunalFired(d)
                    ? (Placeholders.TribunalAttempted(d)
                        ? B3 + B4
                        : Placeholders.TribunalRaised(d) ? B3 : 0L)
                    : 0L)
            : (d.Kind == DutyKind.NearestRelativeCopy132 || d.Kind == DutyKind.NearestRelativeCopy130D)
                ? (Placeholders.IsSentOrNotRequired(d)
                    ? B5 + B6
                    : Placeholders.Exists(d) && !Placeholders.IsNotApplicable(d) && d.DueTime <= t && !(Placeholders.IsEnded(d) && d.ResolvedTime < d.DueTime) ? B5 : 0L)
                : 0L;
    }

    /// <summary>Not-understood follow-up (explanation duties), s133 notices, IMHA information (s130D).</summary>
    private Expression<Func<RightsDuty, LegalStatusEpisode, long>> PackCExpression()
    {
        var t = _t;
        return (d, e) => (d.Kind == DutyKind.Section132_1 || d.Kind == DutyKind.Section132_2 || d.Kind == DutyKind.Section132A || d.Kind == DutyKind.Section130D)
            ? (Placeholders.LatestUnsuccessful(d) ? 1L + (Placeholders.ReattemptLapsed(d) ? B1 : 0L) : 0L)
                + (d.Kind == DutyKind.Section130D && Placeholders.Exists(d) && !Placeholders.IsNotApplicable(d)
                    ? (Placeholders.ImhaGiven(d)
                        ? B4 + B5
                        : d.DueTime <= t ? B4 : 0L)
                    : 0L)
            : d.Kind == DutyKind.Section133DischargeNotice
                ? (Placeholders.IsSent(d)
                    ? B2 + (d.ResolvedTime <= d.DueTime ? B3 : 0L)
                    : Placeholders.Exists(d) && !Placeholders.IsNotRequiredNotApplicableOrSuperseded(d) && d.DueTime <= t ? B2 : 0L)
                : 0L;
    }

    /// <summary>Seconds from the initial duty's opening to its first standing (understood) attempt, for the population of initial_within_sla.</summary>
    private static Expression<Func<RightsDuty, LegalStatusEpisode, long?>> TimingSecondsExpression(bool understood) =>
        understood
            ? (d, e) => (d.Kind == DutyKind.Section132_1 || d.Kind == DutyKind.Section132A) && Placeholders.InInitialPopulation(d)
                ? Placeholders.Seconds(d.OpenTime, Placeholders.FirstUnderstood(d))
                : null
            : (d, e) => (d.Kind == DutyKind.Section132_1 || d.Kind == DutyKind.Section132A) && Placeholders.InInitialPopulation(d)
                ? Placeholders.Seconds(d.OpenTime, Placeholders.FirstAttempt(d))
                : null;

    /// <summary>
    /// initial_within_sla's denominator: existed at T, not NOT_APPLICABLE, and either attempted (an attempt after the
    /// deadline means the deadline has passed) or its SLA deadline has passed by T without the duty ending before it.
    /// </summary>
    private static Expression<Func<RightsDuty, bool>> InInitialPopulationExpression() =>
        d => Placeholders.Exists(d) && !Placeholders.IsNotApplicable(d)
            && (Placeholders.FirstAttempt(d) != null
                || (d.OpenTime <= Placeholders.SlaCutoff(d.Provision)
                    && !(Placeholders.IsEnded(d) && d.ResolvedTime < d.OpenTime.AddMinutes(Placeholders.SlaMinutes(d.Provision)))));

    /// <summary>
    /// repeated_discussions' denominator: first standing attempt at least the periodic-reminder interval before T, and
    /// the duty did not end within that interval of the first attempt.
    /// </summary>
    private Expression<Func<RightsDuty, bool>> InRepeatPopulationExpression() =>
        d => Placeholders.Exists(d) && !Placeholders.IsNotApplicable(d)
            && Placeholders.FirstAttempt(d) <= Placeholders.PeriodicCutoff(d.Provision)
            && !(Placeholders.IsEnded(d) && d.ResolvedTime < Placeholders.PeriodicEnd(Placeholders.FirstAttempt(d), d.Provision));

    /// <summary>Provisions whose episodes get tribunal windows after the first or automatic references (the deadline sweeper raises re-explanations for them).</summary>
    private LambdaExpression HasTribunalWindowsExpression()
    {
        var p = Expression.Parameter(typeof(Provision), "provision");
        return Expression.Lambda<Func<Provision, bool>>(InList(p, TribunalWindowProvisions()), p);
    }

    private Provision[] TribunalWindowProvisions()
    {
        var calendar = LegalCalendar.EnglandAndWales;
        var start = Instant.FromUtc(2020, 1, 1, 0, 0);
        return _rules.Rules.Values
            .Where(r => r.AutomaticReferences.HasAny || calendar.ComputeTribunalWindows(r, start, start + NodaTime.Duration.FromDays(3660)).Any(w => w.Opens > start))
            .Select(r => r.Provision)
            .Order()
            .ToArray();
    }

    private void MapFactPlaceholders(ExpressionExpander expander)
    {
        expander
            .Map(nameof(Placeholders.SlaCutoff), SlaCutoffExpression())
            .Map(nameof(Placeholders.HasTribunalWindows), HasTribunalWindowsExpression())
            .Map(nameof(Placeholders.SlaSeconds), SlaSecondsExpression())
            .Map(nameof(Placeholders.InInitialPopulation), InInitialPopulationExpression())
            .Map(nameof(Placeholders.InRepeatPopulation), InRepeatPopulationExpression())
            .Map(nameof(Placeholders.Exists), _asOfMode ? (Expression<Func<RightsDuty, bool>>)(d => Placeholders.State(d) != null) : d => true)
            .Map(nameof(Placeholders.IsNotApplicable), StatePredicate(DutyState.NotApplicable))
            .Map(nameof(Placeholders.IsEnded), StatePredicate(EndedStates))
            .Map(nameof(Placeholders.IsSent), StatePredicate(DutyState.Sent))
            .Map(nameof(Placeholders.IsSentOrNotRequired), StatePredicate(DutyState.Sent, DutyState.NotRequired))
            .Map(nameof(Placeholders.IsNotRequiredNotApplicableOrSuperseded), StatePredicate(DutyState.NotRequired, DutyState.NotApplicable, DutyState.Superseded))
            .Map(nameof(Placeholders.IsOpen), StatePredicate(OpenStates));
    }

    /// <summary>The duty's state is one of <paramref name="states"/> at T.</summary>
    private LambdaExpression StatePredicate(params DutyState[] states)
    {
        var d = Expression.Parameter(typeof(RightsDuty), "d");
        Expression body;
        if (_asOfMode)
        {
            // One subquery evaluation per comparison: IN (...) over the audited state name.
            var names = states.Select(s => s.ToString()).ToArray();
            var state = Expression.Call(typeof(Placeholders).GetMethod(nameof(Placeholders.State))!, d);
            body = Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(string)], Expression.Constant(names), state);
        }
        else
        {
            var column = Expression.Property(d, nameof(RightsDuty.State));
            body = states.Select(s => (Expression)Expression.Equal(column, Expression.Constant(s))).Aggregate(Expression.OrElse);
        }

        return Expression.Lambda<Func<RightsDuty, bool>>(body, d);
    }

    /// <summary>Now: the column. As of T: the target state of the duty's last audit event recorded by T (null before it opened).</summary>
    private Expression<Func<RightsDuty, string?>> StateFromAudit()
    {
        var db = _db;
        var t = _t;
        return d => db.AuditEvents
            .Where(ev => ev.Resource == "patients/" + d.PatientId + "/duties/" + d.Id && ev.ToState != null && ev.EventTime <= t)
            .OrderByDescending(ev => ev.Sequence)
            .Select(ev => ev.ToState)
            .FirstOrDefault();
    }

    private static Expression<Func<RightsDuty, string?>> CurrentState() => d => d.State.ToString();

    /// <summary>Now: still RECORDED. As of T: recorded by T and not voided or corrected by T.</summary>
    private Expression<Func<ExplanationAttempt, bool>> StandingExpression()
    {
        var t = _t;
        return _asOfMode
            ? a => a.CreateTime <= t && (a.State == AttemptState.Recorded || a.VoidTime > t)
            : a => a.State == AttemptState.Recorded;
    }

    private Expression<Func<RightsDuty, DateTime?>> FirstAttemptFromAttempts()
    {
        var db = _db;
        return d => db.Attempts.Where(a => a.DutyId == d.Id && Placeholders.Standing(a)).Min(a => (DateTime?)a.AttemptTime);
    }

    private Expression<Func<RightsDuty, int>> AttemptCountFromAttempts()
    {
        var db = _db;
        return d => db.Attempts.Count(a => a.DutyId == d.Id && Placeholders.Standing(a));
    }

    /// <summary>
    /// The first standing understood attempt by which the information had been given orally and in writing. Now: the
    /// duty's projection column (Reporting/DutyReportFacts); as of T the attempts are read.
    /// </summary>
    private Expression<Func<RightsDuty, DateTime?>> FirstUnderstoodExpression() =>
        _asOfMode
            ? d => Placeholders.UnderstoodFromAttempts(d)
            : d => d.FirstUnderstoodTime;

    /// <summary>
    /// Now, the facts about the duty's own standing attempts are its projection columns (Reporting/DutyReportFacts),
    /// the same in SQL and in memory; as of T they are subqueries over the attempts (<see cref="MapLookupPlaceholders"/>).
    /// </summary>
    private void MapProjectedPlaceholders(ExpressionExpander expander)
    {
        if (!_asOfMode)
        {
            expander
                .Map(nameof(Placeholders.RenewalAttempted), (Expression<Func<RightsDuty, bool>>)(d => d.RenewalAttempted))
                .Map(nameof(Placeholders.TribunalAttempted), (Expression<Func<RightsDuty, bool>>)(d => d.TribunalAttempted));
        }
    }

    /// <summary>
    /// The facts read from other tables (attempts, scheduled triggers), as correlated subqueries. The in-memory
    /// evaluator maps the same placeholders to values streamed alongside the duty (<see cref="DutyLookups"/>).
    /// </summary>
    private void MapLookupPlaceholders(ExpressionExpander expander)
    {
        var db = _db;
        var t = _t;
        if (_asOfMode)
        {
            // What DutyReportFacts projects onto the duty now, derived from the attempts standing at T.
            expander
                // s132(3): understanding counts from the first understood attempt by which the information had been given
                // both orally and in writing (Rules/Section132_3.cs); an understood talk without the leaflet is not yet met.
                .Map(nameof(Placeholders.UnderstoodFromAttempts), (Expression<Func<RightsDuty, DateTime?>>)(d =>
                    db.Attempts.Where(a => a.DutyId == d.Id && a.Outcome == AttemptOutcome.Understood && Placeholders.Standing(a)
                            && db.Attempts.Any(o => o.DutyId == d.Id && o.OralGiven && o.AttemptTime <= a.AttemptTime && Placeholders.Standing(o))
                            && db.Attempts.Any(w => w.DutyId == d.Id && w.WrittenGiven && w.AttemptTime <= a.AttemptTime && Placeholders.Standing(w)))
                        .Min(a => (DateTime?)a.AttemptTime)))
                .Map(nameof(Placeholders.RenewalAttempted), (Expression<Func<RightsDuty, bool>>)(d =>
                    db.Attempts.Where(a => a.DutyId == d.Id && a.Trigger == DutyTrigger.Renewal).Any(a => Placeholders.Standing(a))))
                .Map(nameof(Placeholders.TribunalAttempted), (Expression<Func<RightsDuty, bool>>)(d =>
                    db.Attempts.Where(a => a.DutyId == d.Id && (a.Trigger == DutyTrigger.TribunalWindow || a.Trigger == DutyTrigger.AutomaticReference)).Any(a => Placeholders.Standing(a))))
                .Map(nameof(Placeholders.ImhaGiven), (Expression<Func<RightsDuty, bool>>)(d =>
                    db.Attempts
                        .Where(a => a.PatientId == d.PatientId && a.AttemptTime >= d.OpenTime
                            && (a.ImhaInformationGiven || (a.DutyId == d.Id && (a.Outcome == AttemptOutcome.Understood || a.Outcome == AttemptOutcome.PartlyUnderstood || a.Outcome == AttemptOutcome.NotUnderstood))))
                        .Any(a => Placeholders.Standing(a))));
        }
        else
        {
            // The duty's own outcomes from its projection, then the patient's IMHA information from any attempt: OR is
            // evaluated in order, so the subquery runs only for duties their own attempts do not settle (PostgreSQL
            // probed the attempts for each of 305,286 s130D duties at 1,000,000 episodes).
            expander.Map(nameof(Placeholders.ImhaGiven), (Expression<Func<RightsDuty, bool>>)(d =>
                d.LatestInformationTime >= d.OpenTime
                || db.Attempts.Any(a => a.PatientId == d.PatientId && a.ImhaInformationGiven && a.State == AttemptState.Recorded && a.AttemptTime >= d.OpenTime)));
        }

        expander
            .Map(nameof(Placeholders.TribunalFired), (Expression<Func<RightsDuty, bool>>)(d =>
                db.ScheduledTriggers.Any(st => st.EpisodeId == d.EpisodeId && (st.Trigger == DutyTrigger.TribunalWindow || st.Trigger == DutyTrigger.AutomaticReference) && st.FiredTime != null && st.FiredTime <= t)))
            .Map(nameof(Placeholders.TribunalRaised), TribunalRaisedExpression());
    }

    /// <summary>
    /// Open at T with its latest standing attempt not understood. Now this is exactly RE_ATTEMPT_SCHEDULED (every
    /// unsuccessful attempt schedules a re-attempt and nothing else leaves that state while it stays open).
    /// </summary>
    private Expression<Func<RightsDuty, bool>> LatestUnsuccessfulExpression()
    {
        var db = _db;
        return _asOfMode
            ? d => Placeholders.IsOpen(d)
                && (db.Attempts.Where(a => a.DutyId == d.Id && Placeholders.Standing(a))
                    .OrderByDescending(a => a.AttemptTime).ThenByDescending(a => a.CreateTime)
                    .Select(a => (AttemptOutcome?)a.Outcome).FirstOrDefault() ?? AttemptOutcome.Understood) != AttemptOutcome.Understood
            : d => d.State == DutyState.ReattemptScheduled;
    }

    /// <summary>The re-attempt planned on the latest standing attempt (or attempt time + the trust's re-attempt interval) had passed by T.</summary>
    private Expression<Func<RightsDuty, bool>> ReattemptLapsedExpression()
    {
        var db = _db;
        var t = _t;
        var minutes = Minutes(_policy.ReattemptInterval);
        return _asOfMode
            ? d => db.Attempts.Where(a => a.DutyId == d.Id && Placeholders.Standing(a))
                .OrderByDescending(a => a.AttemptTime).ThenByDescending(a => a.CreateTime)
                .Select(a => a.NextAttemptTime ?? a.AttemptTime.AddMinutes(minutes)).FirstOrDefault() < t
            : d => d.NextAttemptTime < t;
    }

    /// <summary>
    /// A renewal re-explanation raised on the duty at least one SLA before T. Now: the episode's renewal count and last
    /// renewal time (renewals are months apart, so two or more means an old enough one). As of T: the duty's
    /// ReexplanationRaised audit events with trigger Renewal recorded by then.
    /// </summary>
    private Expression<Func<RightsDuty, LegalStatusEpisode, bool>> RenewalRaisedExpression()
    {
        var db = _db;
        var t = _t;
        var renewal = nameof(DutyTrigger.Renewal);
        return _asOfMode
            ? (d, e) => db.AuditEvents.Any(ev => ev.Resource == "patients/" + d.PatientId + "/duties/" + d.Id && ev.Action == "ReexplanationRaised" && ev.Trigger == renewal
                && ev.EventTime <= Placeholders.SlaCutoff(d.Provision))
            : (d, e) => e.RenewalCount >= 2 || e.LastRenewalTime <= Placeholders.SlaCutoff(d.Provision);
    }

    /// <summary>A tribunal-window or automatic-reference trigger of the duty's episode fired (recorded by T) at least one SLA before T while the duty was open.</summary>
    private Expression<Func<RightsDuty, bool>> TribunalRaisedExpression()
    {
        var db = _db;
        var t = _t;
        return d => db.ScheduledTriggers.Any(st => st.EpisodeId == d.EpisodeId && (st.Trigger == DutyTrigger.TribunalWindow || st.Trigger == DutyTrigger.AutomaticReference)
            && st.FiredTime != null && st.FiredTime <= t && st.FireTime <= Placeholders.SlaCutoff(d.Provision)
            && (d.ResolvedTime == null || st.FireTime < d.ResolvedTime));
    }

    /// <summary>T minus the periodic-reminder interval of the provision (in-patient or community), in Europe/London.</summary>
    private LambdaExpression PeriodicCutoffExpression()
    {
        var p = Expression.Parameter(typeof(Provision), "provision");
        var body = Expression.Condition(IsDetention(p), Expression.Constant(LondonMinus(_policy.PeriodicInterval)), Expression.Constant(LondonMinus(_policy.CommunityPeriodicInterval)));
        return Expression.Lambda<Func<Provision, DateTime>>(body, p);
    }

    /// <summary>First attempt plus the provision's periodic-reminder interval (months and days of the policy periods).</summary>
    private LambdaExpression PeriodicEndExpression()
    {
        var (detentionMonths, detentionDays) = MonthsAndDays(_policy.PeriodicInterval);
        var (communityMonths, communityDays) = MonthsAndDays(_policy.CommunityPeriodicInterval);
        var first = Expression.Parameter(typeof(DateTime?), "first");
        var p = Expression.Parameter(typeof(Provision), "provision");
        var value = Expression.Property(first, nameof(Nullable<DateTime>.Value));
        Expression Plus(int months, int days) => Expression.Convert(
            Expression.Call(Expression.Call(value, nameof(DateTime.AddMonths), null, Expression.Constant(months)), nameof(DateTime.AddDays), null, Expression.Constant((double)days)),
            typeof(DateTime?));
        var body = Expression.Condition(IsDetention(p), Plus(detentionMonths, detentionDays), Plus(communityMonths, communityDays));
        return Expression.Lambda<Func<DateTime?, Provision, DateTime?>>(body, first, p);
    }

    /// <summary>T minus the provision's SLA: a duty opened at or before this has passed its SLA deadline by T.</summary>
    private LambdaExpression SlaCutoffExpression()
    {
        var p = Expression.Parameter(typeof(Provision), "provision");
        Expression body = Expression.Constant(_t - _policy.InitialExplanationSla.ToTimeSpan());
        foreach (var (provision, sla) in _policy.SlaOverrides.OrderByDescending(kv => kv.Key))
        {
            body = Expression.Condition(Expression.Equal(p, Expression.Constant(provision)), Expression.Constant(_t - sla.ToTimeSpan()), body);
        }

        return Expression.Lambda<Func<Provision, DateTime>>(body, p);
    }

    /// <summary>The provision's SLA in seconds (for the within-SLA count from the seconds to first attempt).</summary>
    private LambdaExpression SlaSecondsExpression()
    {
        var p = Expression.Parameter(typeof(Provision), "provision");
        Expression body = Expression.Constant((long?)Math.Round(_policy.InitialExplanationSla.TotalSeconds), typeof(long?));
        foreach (var (provision, sla) in _policy.SlaOverrides.OrderByDescending(kv => kv.Key))
        {
            body = Expression.Condition(Expression.Equal(p, Expression.Constant(provision)), Expression.Constant((long?)Math.Round(sla.TotalSeconds), typeof(long?)), body);
        }

        return Expression.Lambda<Func<Provision, long?>>(body, p);
    }

    /// <summary>The provision is a detention (in-patient periodic interval): a constant IN list, or NOT IN its shorter complement.</summary>
    private Expression IsDetention(ParameterExpression provision) => InList(provision, _rules.Rules.Values.Where(r => r.IsDetention).Select(r => r.Provision));

    /// <summary><paramref name="provision"/> ∈ <paramref name="set"/>, written with whichever of the set and its complement is shorter.</summary>
    private static Expression InList(ParameterExpression provision, IEnumerable<Provision> set)
    {
        var members = set.Order().ToArray();
        var others = Enum.GetValues<Provision>().Except(members).Order().ToArray();
        Expression Contains(Provision[] list) => Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(Provision)], Expression.Constant(list), provision);
        return members.Length <= others.Length ? Contains(members) : Expression.Not(Contains(others));
    }

    private DateTime LondonMinus(Period period) =>
        LegalCalendar.EnglandAndWales.PlusLocal(Instant.FromDateTimeUtc(DateTime.SpecifyKind(_t, DateTimeKind.Utc)), Period.Zero - period).ToDateTimeUtc();

    private static (int Months, int Days) MonthsAndDays(Period period) => ((period.Years * 12) + period.Months, (period.Weeks * 7) + period.Days);

    /// <summary>Whole seconds between two instants (rounded), in the provider's own date arithmetic.</summary>
    private static LambdaExpression SecondsExpression(MhaRightsDbContext db) =>
        db.Database.IsSqlServer()
            ? (Expression<Func<DateTime, DateTime?, long?>>)((from, to) => EF.Functions.DateDiffSecond(from, to))
            : db.Database.IsNpgsql()
                // PostgreSQL has no ticks: the interval's seconds (date_part epoch), rounded half up as below.
                ? (Expression<Func<DateTime, DateTime?, long?>>)((from, to) => (long?)Math.Floor((to!.Value - from).TotalSeconds + 0.5))
                : (Expression<Func<DateTime, DateTime?, long?>>)((from, to) => (to!.Value.Ticks - from.Ticks + 5_000_000) / 10_000_000);

    private static int Minutes(NodaTime.Duration duration) => (int)Math.Round(duration.TotalMinutes);
}
