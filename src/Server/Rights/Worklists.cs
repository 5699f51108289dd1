using System.Collections.Concurrent;
using System.Linq.Expressions;
using MhaRights.Server.Common;
using MhaRights.Server.Patients;
using MhaRights.Server.Persistence;
using MhaRights.Server.Rights.Duties;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace MhaRights.Server.Rights;

/// <summary>MHA-office worklists (section-132.md §8.5): which duties, in which states, ordered by which time.</summary>
public enum WorklistKind
{
    Unspecified = 0,
    ExplanationsDue = 1,
    ExplanationsOverdue = 2,
    ReattemptsDue = 3,
    RemindersDue = 4,
    NearestRelativeCopies = 5,
    DischargeNotices = 6,
    LapsedAuthorities = 7,
    AuthoritiesExpiring = 8,
    TribunalReferences = 9,
}

/// <summary>One worklist row: the duty with the patient it concerns and the time that orders it.</summary>
public sealed record WorklistRow(RightsDuty Duty, string PatientLocalId, string PatientDisplayName, DateTime ActionTime);

/// <summary>The worklist definitions as data, and one keyset-paginated query per shape that serves them all.</summary>
public sealed class Worklists(MhaRightsDbContext db)
{
    private static readonly DutyKind[] Explanations = [DutyKind.Section132_1, DutyKind.Section132_2, DutyKind.Section132A, DutyKind.Section130D];

    private static readonly Dictionary<WorklistKind, (DutyKind[] Kinds, DutyState[] States, bool ByNextAttempt)> Definitions = new()
    {
        [WorklistKind.ExplanationsDue] = (Explanations, [DutyState.Due], false),
        [WorklistKind.ExplanationsOverdue] = (Explanations, [DutyState.Overdue], false),
        [WorklistKind.ReattemptsDue] = (Explanations, [DutyState.ReattemptScheduled], true),
        [WorklistKind.RemindersDue] = (Explanations, [DutyState.ReminderDue], false),
        [WorklistKind.NearestRelativeCopies] = ([DutyKind.NearestRelativeCopy132, DutyKind.NearestRelativeCopy130D], [DutyState.Due, DutyState.Overdue], false),
        [WorklistKind.DischargeNotices] = ([DutyKind.Section133DischargeNotice], [DutyState.Due, DutyState.Overdue, DutyState.Missed], false),
        [WorklistKind.TribunalReferences] = ([DutyKind.TribunalReference68_7], [DutyState.Due, DutyState.Overdue], false),
    };

    /// <summary>Worklists of episodes rather than duties (see <see cref="AuthorityWorklists"/>).</summary>
    public static bool IsEpisodeList(WorklistKind kind) => kind is WorklistKind.LapsedAuthorities or WorklistKind.AuthoritiesExpiring;

    // One compiled, untracked query per shape (worklist kind, hospital given, ward given, first page or after a
    // position): EF Core builds each shape's SQL once instead of on every call, and each shape keeps plain SQL
    // (kinds and states as literals, no "@p IS NULL OR ..." conditions) that SQLite can plan on its indexes.
    // Per EF model as well as per shape: a compiled query refuses any model but its own (see Persistence/CompiledPerModel).
    private static readonly ConcurrentDictionary<(IModel Model, Shape Shape), Func<MhaRightsDbContext, string, string, DateTime, DateTime, string, int, IAsyncEnumerable<Hit>>> Compiled = new();

    /// <summary>Most urgent first; a re-attempt appears once its planned time has come.</summary>
    public async Task<IReadOnlyList<WorklistRow>> ListAsync(
        WorklistKind kind, string? hospital, string? ward, DateTime now, (DateTime Time, string Id)? after, int take, CancellationToken cancellationToken)
    {
        if (!Definitions.ContainsKey(kind))
        {
            throw new KeyNotFoundException($"No worklist definition for {kind}.");
        }

        var shape = new Shape(kind, hospital is not null, ward is not null, after is not null);
        var query = Compiled.GetOrAdd((db.Model, shape), key => Compile(key.Shape));
        var rows = new List<WorklistRow>(take);
        var hits = query(db, hospital ?? string.Empty, ward ?? string.Empty, now, after?.Time ?? default, after?.Id ?? string.Empty, take);
        await foreach (var r in hits.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new WorklistRow(r.Duty, r.LocalId, DisplayName(r.GivenName, r.FamilyName), r.Time ?? r.Duty.OpenTime));
        }

        return rows;
    }

    internal static string DisplayName(string? given, string? family) =>
        string.IsNullOrEmpty(given) ? family ?? string.Empty
        : string.IsNullOrEmpty(family) ? given
        : string.Concat(given, " ", family);

    private static Func<MhaRightsDbContext, string, string, DateTime, DateTime, string, int, IAsyncEnumerable<Hit>> Compile(Shape shape)
    {
        var (kinds, states, byNextAttempt) = Definitions[shape.Kind];
        var db = Expression.Parameter(typeof(MhaRightsDbContext), "db");
        var hospital = Expression.Parameter(typeof(string), "hospital");
        var ward = Expression.Parameter(typeof(string), "ward");
        var now = Expression.Parameter(typeof(DateTime), "now");
        var afterTime = Expression.Parameter(typeof(DateTime), "afterTime");
        var afterId = Expression.Parameter(typeof(string), "afterId");
        var take = Expression.Parameter(typeof(int), "take");

        // The ordering time. A re-attempt list for one place reads the time through COALESCE (to MaxValue, so a
        // missing time still never counts as come, as before): otherwise SQLite walks the (State, NextAttemptTime)
        // index over every hospital's re-attempts, reading each row to test its place, instead of seeking
        // (State, Hospital, Ward) and sorting the few rows found (about 4x faster per page at 1M episodes).
        Expression<Func<RightsDuty, DateTime?>> time = !byNextAttempt ? d => d.DueTime
            : shape.HasHospital ? d => d.NextAttemptTime ?? DateTime.MaxValue
            : d => d.NextAttemptTime;

        Expression duties = Expression.Call(
            typeof(EntityFrameworkQueryableExtensions), nameof(EntityFrameworkQueryableExtensions.AsNoTracking), [typeof(RightsDuty)],
            Expression.Property(db, nameof(MhaRightsDbContext.Duties)));
        duties = Where(duties, d => AnyOf(Expression.Property(d, nameof(RightsDuty.Kind)), kinds));
        duties = Where(duties, d => AnyOf(Expression.Property(d, nameof(RightsDuty.State)), states));
        // A duty whose authority lapsed no longer asks for work (RightsLifecycle.HoldDutiesForLapseAsync).
        duties = Where(duties, d => Expression.Equal(Expression.Property(d, nameof(RightsDuty.AuthorityLapsedTime)), Expression.Constant(null, typeof(DateTime?))));
        if (shape.HasHospital)
        {
            duties = Where(duties, d => Expression.Equal(Expression.Property(d, nameof(RightsDuty.Hospital)), hospital));
        }

        if (shape.HasWard)
        {
            duties = Where(duties, d => Expression.Equal(Expression.Property(d, nameof(RightsDuty.Ward)), ward));
        }

        if (byNextAttempt)
        {
            duties = Where(duties, d => Expression.LessThanOrEqual(Time(d), Expression.Convert(now, typeof(DateTime?))));
        }

        if (shape.HasAfter)
        {
            // time > afterTime || (time == afterTime && string.Compare(Id, afterId) > 0)
            duties = Where(duties, d => Expression.OrElse(
                Expression.GreaterThan(Time(d), Expression.Convert(afterTime, typeof(DateTime?))),
                Expression.AndAlso(
                    Expression.Equal(Time(d), Expression.Convert(afterTime, typeof(DateTime?))),
                    Expression.GreaterThan(
                        Expression.Call(typeof(string), nameof(string.Compare), null, Expression.Property(d, nameof(RightsDuty.Id)), afterId),
                        Expression.Constant(0)))));
        }

        // Join the patient for its local id and name, order by time then id, take the page: written once as LINQ, with
        // this shape's filtered duties, the patients set, the page size and the ordering time put in place.
        var body = new ParameterReplacer(Tail.Parameters, [duties, Expression.Property(db, nameof(MhaRightsDbContext.Patients)), take]).Visit(Tail.Body);
        body = new TimeOf(time).Visit(body);
        var lambda = Expression.Lambda<Func<MhaRightsDbContext, string, string, DateTime, DateTime, string, int, IQueryable<Hit>>>(
            body, db, hospital, ward, now, afterTime, afterId, take);
        return EF.CompileAsyncQuery(lambda);

        Expression Time(ParameterExpression d) => ParameterReplacer.Replace(time.Body, time.Parameters[0], d);
    }

    // The join, order and page; "d.DueTime" in the result stands for the shape's ordering time (see TimeOf).
    private static readonly Expression<Func<IQueryable<RightsDuty>, IQueryable<Patient>, int, IQueryable<Hit>>> Tail =
        (duties, patients, take) => duties
            .Join(patients, d => d.PatientId, p => p.Id, (d, p) => new Hit { Duty = d, Time = d.DueTime, LocalId = p.LocalId, GivenName = p.GivenName, FamilyName = p.FamilyName })
            .OrderBy(h => h.Time).ThenBy(h => h.Duty.Id)
            .Take(take);

    private static Expression Where(Expression source, Func<ParameterExpression, Expression> predicate)
    {
        var d = Expression.Parameter(typeof(RightsDuty), "d");
        var lambda = Expression.Lambda<Func<RightsDuty, bool>>(predicate(d), d);
        return Expression.Call(typeof(Queryable), nameof(Queryable.Where), [typeof(RightsDuty)], source, Expression.Quote(lambda));
    }

    private static Expression AnyOf<T>(Expression property, T[] values)
        where T : struct, Enum =>
        values.Select(v => (Expression)Expression.Equal(property, Expression.Constant(v))).Aggregate(Expression.OrElse);

    /// <summary>Replaces the template's placeholder time (the result's Time = d.DueTime) by the shape's time of d.</summary>
    private sealed class TimeOf(Expression<Func<RightsDuty, DateTime?>> time) : ExpressionVisitor
    {
        protected override Expression VisitMemberInit(MemberInitExpression node) =>
            node.Type == typeof(Hit)
                ? node.Update(node.NewExpression, node.Bindings.Select(b =>
                    b is MemberAssignment { Member.Name: nameof(Hit.Time), Expression: MemberExpression { Expression: ParameterExpression d } }
                        ? Expression.Bind(b.Member, ParameterReplacer.Replace(time.Body, time.Parameters[0], d))
                        : b))
                : base.VisitMemberInit(node);
    }

    private readonly record struct Shape(WorklistKind Kind, bool HasHospital, bool HasWard, bool HasAfter);

    // A class with settable members rather than a positional record: EF Core orders by a member of a projection
    // only through member bindings, not constructor arguments.
    private sealed class Hit
    {
        public required RightsDuty Duty { get; init; }

        public DateTime? Time { get; init; }

        public required string LocalId { get; init; }

        public string? GivenName { get; init; }

        public string? FamilyName { get; init; }
    }
}
