using System.Linq.Expressions;
using System.Reflection;
using MhaRights.Server.LegalStatus;
using MhaRights.Server.Rights.Duties;
using MhaRights.Server.Rights.Rules;

namespace MhaRights.Server.Reporting.Queries;

/// <summary>
/// The facts about one duty that come from other tables (its episode's fired tribunal triggers, the patient's IMHA
/// information): what the SQL reads with correlated subqueries, supplied here by the streaming scan
/// (<see cref="ReportScan"/>). The facts about the duty's own attempts are on the duty row (Reporting/DutyReportFacts).
/// One instance per thread; <see cref="Patient"/> and <see cref="FireTimes"/> are set for each episode.
/// </summary>
/// <param name="imhaGivenSince">Whether the patient has a standing attempt at or after the time that recorded the IMHA
/// information given.</param>
internal sealed class DutyLookups(Func<IdKey, DateTime, bool> imhaGivenSince)
{
    /// <summary>The duty's patient (its episode's: the scan sets it once per episode).</summary>
    public IdKey Patient { get; set; }

    /// <summary>Fire times of the duty's episode's tribunal-window and automatic-reference triggers fired by T (null: none).</summary>
    public IReadOnlyList<DateTime>? FireTimes { get; set; }

    /// <summary>The episode has a tribunal-window or automatic-reference trigger fired (recorded by T).</summary>
    public bool TribunalFired(RightsDuty duty) => FireTimes is { Count: > 0 };

    /// <summary>One of those triggers is due at least one SLA before T (<paramref name="slaCutoff"/>) and before the duty was resolved.</summary>
    public bool TribunalRaised(RightsDuty duty, DateTime slaCutoff)
    {
        foreach (var fire in FireTimes ?? [])
        {
            if (fire <= slaCutoff && (duty.ResolvedTime == null || fire < duty.ResolvedTime))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A standing attempt of the patient at or after the duty opened that records IMHA information given, or one on the
    /// duty itself whose outcome shows it was given.
    /// </summary>
    public bool ImhaGiven(RightsDuty duty) =>
        // The duty's own outcome first: it settles most s130D duties (95% of the benchmark's) without asking about the
        // patient's other attempts.
        duty.LatestInformationTime >= duty.OpenTime || imhaGivenSince(Patient, duty.OpenTime);
}

/// <summary>
/// The measures' per-duty expressions (<see cref="ComplianceQueries"/>' PackA/B/C and timing seconds) and the
/// breakdown keys, compiled to delegates: the same expression trees the SQL is generated from, with the lookups into
/// other tables mapped to <see cref="DutyLookups"/>, so each measure is still defined once.
/// </summary>
internal sealed class DutyFactEvaluator
{
    public required Func<RightsDuty, LegalStatusEpisode, DutyLookups, long> PackA { get; init; }

    public required Func<RightsDuty, LegalStatusEpisode, DutyLookups, long> PackB { get; init; }

    public required Func<RightsDuty, LegalStatusEpisode, DutyLookups, long> PackC { get; init; }

    public required Func<RightsDuty, LegalStatusEpisode, DutyLookups, long?> FirstSeconds { get; init; }

    public required Func<RightsDuty, LegalStatusEpisode, DutyLookups, long?> UnderstoodSeconds { get; init; }

    public required Func<DateTime, DateOnly?, int> AgeBand { get; init; }

    public required Func<DateTime, int> MonthIndex { get; init; }

    public required Func<Provision, long?> SlaSeconds { get; init; }
}

/// <summary>Compiles the report's expressions for in-memory evaluation (current record only).</summary>
internal sealed partial class ComplianceQueries
{
    public DutyFactEvaluator CompileForMemory(ReportMonths months)
    {
        if (_asOfMode)
        {
            throw new InvalidOperationException("Only the current-record report is evaluated in memory; as-of reports read the audit history in SQL.");
        }

        var lookups = Expression.Parameter(typeof(DutyLookups), "lookups");
        var expander = MapShared(new ExpressionExpander(), months)
            .Map(nameof(Placeholders.Seconds), (Expression<Func<DateTime, DateTime?, long?>>)((from, to) => to == null ? null : (to.Value.Ticks - from.Ticks + 5_000_000) / 10_000_000))
            .Map(nameof(Placeholders.TribunalFired), DutyLambda(d => Expression.Call(lookups, nameof(DutyLookups.TribunalFired), null, d)))
            .Map(nameof(Placeholders.ImhaGiven), DutyLambda(d => Expression.Call(lookups, nameof(DutyLookups.ImhaGiven), null, d)))
            .Map(nameof(Placeholders.TribunalRaised), DutyLambda(d => Expression.Call(
                lookups,
                nameof(DutyLookups.TribunalRaised),
                null,
                d,
                Expression.Call(Placeholder(nameof(Placeholders.SlaCutoff)), Expression.Property(d, nameof(RightsDuty.Provision))))));

        var duty = Expression.Parameter(typeof(RightsDuty), "d");
        var episode = Expression.Parameter(typeof(LegalStatusEpisode), "e");
        Func<RightsDuty, LegalStatusEpisode, DutyLookups, T> Compile<T>(string placeholder) =>
            Expression.Lambda<Func<RightsDuty, LegalStatusEpisode, DutyLookups, T>>(
                expander.Visit(Expression.Call(Placeholder(placeholder), duty, episode)), duty, episode, lookups).Compile();

        return new DutyFactEvaluator
        {
            PackA = Compile<long>(nameof(Placeholders.PackA)),
            PackB = Compile<long>(nameof(Placeholders.PackB)),
            PackC = Compile<long>(nameof(Placeholders.PackC)),
            FirstSeconds = Compile<long?>(nameof(Placeholders.FirstSeconds)),
            UnderstoodSeconds = Compile<long?>(nameof(Placeholders.UnderstoodSeconds)),
            AgeBand = AgeBandExpression().Compile(),
            MonthIndex = MonthIndexExpression(months.Boundaries).Compile(),
            SlaSeconds = ((Expression<Func<Provision, long?>>)SlaSecondsExpression()).Compile(),
        };

        static MethodInfo Placeholder(string name) => typeof(Placeholders).GetMethod(name, BindingFlags.Public | BindingFlags.Static)!;

        static LambdaExpression DutyLambda(Func<ParameterExpression, Expression> body)
        {
            var d = Expression.Parameter(typeof(RightsDuty), "d");
            return Expression.Lambda(body(d), d);
        }
    }
}
