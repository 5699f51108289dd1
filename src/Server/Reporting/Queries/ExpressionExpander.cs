using System.Linq.Expressions;
using System.Reflection;

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

    private sealed class ParameterReplacer(IReadOnlyList<ParameterExpression> parameters, IReadOnlyList<Expression> arguments) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node)
        {
            for (var i = 0; i < parameters.Count; i++)
            {
                if (parameters[i] == node)
                {
                    return arguments[i];
                }
            }

            return base.VisitParameter(node);
        }
    }
}

/// <summary>Stand-ins expanded by <see cref="ExpressionExpander"/> before EF translates a query; never executed.</summary>
internal static class Placeholders
{
    public static int SlaMinutes(Rights.Rules.Provision provision) => throw Never();

    public static int MonthIndex(DateTime start) => throw Never();

    public static int AgeBand(int? ageDifference) => throw Never();

    public static string? DutyStateAt(Rights.Duties.RightsDuty duty) => throw Never();

    private static InvalidOperationException Never() => new("Placeholders are expanded into SQL and never run.");
}
