using System.Linq.Expressions;
using MhaRights.Server.Rights.Rules;

namespace MhaRights.Server.Reporting.Queries;

/// <summary>The breakdown keys and the SLA as expression trees (evaluated by the database, once per episode or duty).</summary>
internal sealed partial class ComplianceQueries
{
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
    }

    /// <summary>The month index: a balanced tree of comparisons with the month boundaries (about log2(months) per row).</summary>
    private static Expression<Func<DateTime, int>> MonthIndexExpression(IReadOnlyList<DateTime> boundaries)
    {
        var start = Expression.Parameter(typeof(DateTime), "start");
        return Expression.Lambda<Func<DateTime, int>>(Build(0, boundaries.Count), start);

        // Index in [lo, hi]: the number of boundaries at or before start.
        Expression Build(int lo, int hi)
        {
            if (lo == hi)
            {
                return Expression.Constant(lo);
            }

            var mid = (lo + hi + 1) / 2;
            return Expression.Condition(
                Expression.LessThan(start, Expression.Constant(boundaries[mid - 1])),
                Build(lo, mid - 1),
                Build(mid, hi));
        }
    }

    /// <summary>
    /// Age band at episode start, exact in whole years: "age ≥ N" is "date of birth ≤ start date − N years", as a
    /// balanced tree (three date computations per episode); <see cref="AgeBands.Unknown"/> without a date of birth.
    /// </summary>
    private static Expression<Func<DateTime, DateOnly?, int>> AgeBandExpression()
    {
        var start = Expression.Parameter(typeof(DateTime), "start");
        var dateOfBirth = Expression.Parameter(typeof(DateOnly?), "dateOfBirth");
        var startDate = Expression.Call(typeof(DateOnly).GetMethod(nameof(DateOnly.FromDateTime), [typeof(DateTime)])!, start);
        var addYears = typeof(DateOnly).GetMethod(nameof(DateOnly.AddYears), [typeof(int)])!;

        // Band in [lo, hi]: the number of lower bounds the age reaches.
        Expression Build(int lo, int hi)
        {
            if (lo == hi)
            {
                return Expression.Constant(lo);
            }

            var mid = (lo + hi + 1) / 2;
            var threshold = Expression.Convert(Expression.Call(startDate, addYears, Expression.Constant(-AgeBands.LowerBounds[mid - 1])), typeof(DateOnly?));
            return Expression.Condition(
                Expression.LessThanOrEqual(dateOfBirth, threshold),
                Build(mid, hi),
                Build(lo, mid - 1));
        }

        var body = Expression.Condition(
            Expression.Equal(dateOfBirth, Expression.Constant(null, typeof(DateOnly?))),
            Expression.Constant(AgeBands.Unknown),
            Build(0, AgeBands.LowerBounds.Count));
        return Expression.Lambda<Func<DateTime, DateOnly?, int>>(body, start, dateOfBirth);
    }
}
