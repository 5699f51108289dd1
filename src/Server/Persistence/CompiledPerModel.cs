using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace MhaRights.Server.Persistence;

/// <summary>
/// A compiled query, compiled once per EF model: a compiled query refuses any model but the one it was compiled
/// against, and one process may hold two (a tool or a test host opening SQLite and PostgreSQL databases side by side).
/// </summary>
internal sealed class CompiledPerModel<TQuery>(Func<TQuery> compile)
    where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _byModel = [];

    public TQuery For(DbContext db) => _byModel.GetValue(db.Model, _ => compile());
}
