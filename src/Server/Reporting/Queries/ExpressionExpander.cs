using System.Linq.Expressions;
using System.Reflection;
using MhaRights.Server.Common;
using MhaRights.Server.LegalStatus;
using MhaRights.Server.Rights.Duties;
using MhaRights.Server.Rights.Rules;

namespace MhaRights.Server.Reporting.Queries;

/// <summary>
/// Replaces calls to placeholder methods inside a query with expressions built at run time (the SLA per provision
/// from trust policy, the month boundaries of the period, the as-of state), so the queries read as ordinary LINQ and
/// EF still sees plain, translatable expression trees.
/// </summary>
internal sealed class ExpressionExpander : ExpressionVisitor
{
    private readonly Dictionary<MethodInfo, LambdaExpression> _expansions = [];

    public ExpressionExpander Map(string placeholder, LambdaExpression expansion)
    {
        var method = typeof(Placeholders).GetMethod(placeholder, BindingFlags.Public | BindingFlags.Static)
            ?? throw new ArgumentException($"No placeholder named {placeholder}.", nameof(placeholder));
        _expansions[method] = expansion;
        return this;
    }

    public IQueryable<T> Expand<T>(IQueryable<T> query) => query.Provider.CreateQuery<T>(Visit(query.Expression));

    protected override Expression VisitMethodCall(MethodCallExpression node)
    {
        if (_expansions.TryGetValue(node.Method, out var lambda))
        {
            var arguments = node.Arguments.Select(Visit).ToList();
            var body = new ParameterReplacer(lambda.Parameters, arguments!).Visit(lambda.Body);
            return Visit(body);
        }

        if (node.Method.DeclaringType == typeof(Placeholders))
        {
            throw new InvalidOperationException($"Placeholder {node.Method.Name} was not expanded.");
        }

        return base.VisitMethodCall(node);
    }
}

/// <summary>Stand-ins expanded by <see cref="ExpressionExpander"/> before EF translates a query; never executed.</summary>
internal static class Placeholders
{
    public static int SlaMinutes(Provision provision) => throw Never();

    public static int MonthIndex(DateTime start) => throw Never();

    public static int AgeBand(DateTime start, DateOnly? dateOfBirth) => throw Never();

    public static long? Seconds(DateTime from, DateTime? to) => throw Never();

    public static long PackA(RightsDuty duty, LegalStatusEpisode episode) => throw Never();

    public static long PackB(RightsDuty duty, LegalStatusEpisode episode) => throw Never();

    public static long PackC(RightsDuty duty, LegalStatusEpisode episode) => throw Never();

    public static long? FirstSeconds(RightsDuty duty, LegalStatusEpisode episode) => throw Never();

    public static long? UnderstoodSeconds(RightsDuty duty, LegalStatusEpisode episode) => throw Never();

    public static string? State(RightsDuty duty) => throw Never();

    public static bool Exists(RightsDuty duty) => throw Never();

    public static bool IsNotApplicable(RightsDuty duty) => throw Never();

    public static bool IsEnded(RightsDuty duty) => throw Never();

    public static bool IsSent(RightsDuty duty) => throw Never();

    public static bool IsSentOrNotRequired(RightsDuty duty) => throw Never();

    public static bool IsNotRequiredNotApplicableOrSuperseded(RightsDuty duty) => throw Never();

    public static bool IsOpen(RightsDuty duty) => throw Never();

    public static bool Standing(ExplanationAttempt attempt) => throw Never();

    public static DateTime? FirstAttempt(RightsDuty duty) => throw Never();

    public static int AttemptCount(RightsDuty duty) => throw Never();

    public static DateTime? FirstUnderstood(RightsDuty duty) => throw Never();

    public static bool LatestUnsuccessful(RightsDuty duty) => throw Never();

    public static bool ReattemptLapsed(RightsDuty duty) => throw Never();

    public static bool RenewalRaised(RightsDuty duty, LegalStatusEpisode episode) => throw Never();

    public static bool TribunalRaised(RightsDuty duty) => throw Never();

    public static bool TribunalFired(RightsDuty duty) => throw Never();

    public static bool TribunalAttempted(RightsDuty duty) => throw Never();

    public static bool RenewalAttempted(RightsDuty duty) => throw Never();

    public static bool ImhaGiven(RightsDuty duty) => throw Never();

    public static DateTime? UnderstoodFromAttempts(RightsDuty duty) => throw Never();

    public static bool InInitialPopulation(RightsDuty duty) => throw Never();

    public static bool InRepeatPopulation(RightsDuty duty) => throw Never();

    public static DateTime PeriodicCutoff(Provision provision) => throw Never();

    public static DateTime SlaCutoff(Provision provision) => throw Never();

    public static long? SlaSeconds(Provision provision) => throw Never();

    public static bool HasTribunalWindows(Provision provision) => throw Never();

    public static DateTime? PeriodicEnd(DateTime? firstAttempt, Provision provision) => throw Never();

    private static InvalidOperationException Never() => new("Placeholders are expanded into SQL and never run.");
}
