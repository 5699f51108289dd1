using System.Linq.Expressions;

namespace MhaRights.Server.Common;

/// <summary>
/// Puts expressions in place of a lambda's parameters: how a piece of LINQ written once is inlined into a query built
/// at run time (reporting placeholders, worklist shapes) while EF still sees one plain, translatable tree.
/// </summary>
internal sealed class ParameterReplacer(IReadOnlyList<ParameterExpression> parameters, IReadOnlyList<Expression> arguments) : ExpressionVisitor
{
    /// <summary><paramref name="body"/> with <paramref name="parameter"/> replaced by <paramref name="argument"/>.</summary>
    public static Expression Replace(Expression body, ParameterExpression parameter, Expression argument) =>
        new ParameterReplacer([parameter], [argument]).Visit(body);

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
